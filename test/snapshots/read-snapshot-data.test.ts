import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDb } from "@/lib/db";
import { readSnapshotData } from "@/lib/snapshots/read-snapshot-data";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

let database: TestDatabase;

const service = (environment: string, name: string, running: string) => ({
  environment, service: name, chart: name, repository: "", constraint: running, running, latest: "2.0.0",
  releasesBehind: 1, step: "major", status: "behind", badgeLevel: 4, badgeColor: "#000", badgeLabel: "", unpinned: false,
});

async function saveEnvironment(environment: string, at: Date, commitSha: string, running: string) {
  const { db } = database;
  const head = { refreshedAt: at, durationMs: 1, warnings: [], commitSha, lastSuccessAt: at };
  await db.environmentSnapshot.upsert({ where: { environment }, create: { environment, ...head }, update: head });
  await db.serviceSnapshot.deleteMany({ where: { environment } });
  await db.serviceSnapshot.createMany({ data: [service(environment, "orders", running), service(environment, "search", running)] });
}

beforeAll(async () => {
  database = await createPgliteDatabase();
  provideDb(database.db);
});
afterAll(async () => database?.close());

describe("readSnapshotData", () => {
  it("reads again only the environments whose last successful read changed", async () => {
    await saveEnvironment("dev", new Date(1_000), "a".repeat(40), "1.0.0");
    await saveEnvironment("prod", new Date(1_000), "b".repeat(40), "1.0.0");
    const first = await readSnapshotData();
    expect(first.rows.map((r) => `${r.environment}/${r.service}@${r.running}`)).toEqual([
      "dev/orders@1.0.0", "dev/search@1.0.0", "prod/orders@1.0.0", "prod/search@1.0.0",
    ]);
    expect(await readSnapshotData()).toBe(first);

    // prod's rows change behind its back without a new read stamp: the cache must not notice (it did not re-read them),
    // while dev's new read is picked up.
    await database.db.serviceSnapshot.updateMany({ where: { environment: "prod" }, data: { running: "9.9.9" } });
    await saveEnvironment("dev", new Date(2_000), "c".repeat(40), "1.1.0");
    const second = await readSnapshotData();
    expect(second.rows.map((r) => `${r.environment}/${r.service}@${r.running}`)).toEqual([
      "dev/orders@1.1.0", "dev/search@1.1.0", "prod/orders@1.0.0", "prod/search@1.0.0",
    ]);

    // Skipped by a refresh (only refreshedAt stamped): new snapshot heads, the same rows.
    await database.db.environmentSnapshot.update({ where: { environment: "dev" }, data: { refreshedAt: new Date(3_000) } });
    const third = await readSnapshotData();
    expect(third).not.toBe(second);
    expect(third.snapshots.find((s) => s.environment === "dev")!.refreshedAt.getTime()).toBe(3_000);
    expect(third.rows).toEqual(second.rows);
  });

  it("drops an environment that is no longer stored", async () => {
    await database.db.serviceSnapshot.deleteMany({ where: { environment: "prod" } });
    await database.db.environmentSnapshot.delete({ where: { environment: "prod" } });
    const data = await readSnapshotData();
    expect(new Set(data.rows.map((r) => r.environment))).toEqual(new Set(["dev"]));
  });
});
