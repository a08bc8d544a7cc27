import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentStatus, ServiceStatus } from "@/lib/releases/environment-status";
import { saveEnvironmentSnapshot } from "@/lib/snapshots/save-environment-snapshot";
import { summarizeEnvironments, toServiceCell } from "@/lib/snapshots/summarize-environments";
import { type TestDatabase, databaseFactories } from "../support/test-database";

function service(name: string, status: ServiceStatus["version"]["status"], level: number, running = "1.0.0"): ServiceStatus {
  return {
    service: name,
    chart: name,
    repository: "@demo",
    constraint: running,
    running,
    resolvedFrom: "pin",
    unpinned: false,
    version: { status, running, latest: "1.2.0", releasesBehind: level > 0 ? 2 : 0, step: level > 0 ? "minor" : "none", badge: { color: "#f00", level, label: status } },
  };
}

function environment(name: string, services: ServiceStatus[], error?: string): EnvironmentStatus {
  return {
    environment: name,
    readAt: new Date("2026-11-20T10:00:00Z"),
    durationMs: 12,
    commit: { sha: "a".repeat(40), date: new Date("2026-11-19T10:00:00Z") },
    chart: { name: "stack", version: "1.0.0", format: "helm3" },
    services,
    warnings: ["Chart.lock is out of date"],
    error,
  };
}

describe.each(databaseFactories())("snapshots on $name", ({ create }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await create();
  });
  afterAll(async () => database?.close());

  it("stores an environment's services and replaces them on the next refresh", async () => {
    const { db } = database;
    await saveEnvironmentSnapshot(db, environment("staging", [service("orders", "behind", 2), service("payments", "current", 0)]));
    await saveEnvironmentSnapshot(db, environment("staging", [service("orders", "current", 0, "1.2.0")]));
    const rows = await db.serviceSnapshot.findMany({ where: { environment: "staging" } });
    expect(rows.map((r) => [r.service, r.running, r.status])).toEqual([["orders", "1.2.0", "current"]]);
    const snapshot = await db.environmentSnapshot.findUniqueOrThrow({ where: { environment: "staging" } });
    expect(snapshot.warnings).toEqual(["Chart.lock is out of date"]);
    expect(snapshot.lastSuccessAt?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
  });

  it("keeps the last good services when an environment cannot be read, and records the error", async () => {
    const { db } = database;
    await saveEnvironmentSnapshot(db, environment("production", [service("orders", "far-behind", 4)]));
    const failed = { ...environment("production", [], "branch release/production not found"), readAt: new Date("2026-11-21T10:00:00Z") };
    await saveEnvironmentSnapshot(db, failed);
    const snapshot = await db.environmentSnapshot.findUniqueOrThrow({ where: { environment: "production" } });
    expect(snapshot.error).toBe("branch release/production not found");
    expect(snapshot.refreshedAt.toISOString()).toBe("2026-11-21T10:00:00.000Z");
    expect(snapshot.lastSuccessAt?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(await db.serviceSnapshot.count({ where: { environment: "production" } })).toBe(1);
  });

  it("summarizes environments in config order, including ones never refreshed", async () => {
    const { db } = database;
    const snapshots = await db.environmentSnapshot.findMany();
    const rows = await db.serviceSnapshot.findMany();
    const config = ["production", "staging", "dev"].map((name) => ({
      name, groups: { brand: "shop" }, repo: "./stack", branch: name, path: "", includePrereleases: false, readImageTags: false,
    }));
    const summaries = summarizeEnvironments(config, snapshots, rows);
    expect(summaries.map((s) => [s.name, s.serviceCount, s.worstLevel, Boolean(s.error), Boolean(s.refreshedAt)])).toEqual([
      ["production", 1, 4, true, true],
      ["staging", 1, 0, false, true],
      ["dev", 0, -1, false, false],
    ]);
    expect(toServiceCell(rows.find((r) => r.environment === "production")!)).toMatchObject({ status: "far-behind", latest: "1.2.0" });
  });
});
