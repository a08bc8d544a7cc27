import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentConfigSchema } from "@/lib/config/schema";
import { provideDb } from "@/lib/db";
import { statusMatrixBodyHtml } from "@/components/status-matrix-body";
import { decodeCell } from "@/lib/snapshots/encode-overview-matrix";
import { computeOverviewMatrix } from "@/lib/snapshots/read-overview";
import { readSnapshotData } from "@/lib/snapshots/read-snapshot-data";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

let database: TestDatabase;

const environments = [
  environmentConfigSchema.parse({ name: "dev", repo: "acme/stack", branch: "dev", groups: { stage: "dev" } }),
  environmentConfigSchema.parse({ name: "prod", repo: "acme/stack", branch: "prod", groups: { stage: "prod" } }),
];
const ALL = { services: [], onlyBehind: false };

async function saveEnvironment(environment: string, at: number, running: string) {
  const { db } = database;
  const head = { refreshedAt: new Date(at), durationMs: 1, warnings: [], commitSha: `${at}`.padEnd(40, "0"), lastSuccessAt: new Date(at) };
  await db.environmentSnapshot.upsert({ where: { environment }, create: { environment, ...head }, update: head });
  await db.serviceSnapshot.deleteMany({ where: { environment } });
  await db.serviceSnapshot.createMany({
    data: ["orders", "search"].map((service) => ({
      environment, service, chart: service, repository: "", constraint: running, running, latest: "2.0.0",
      releasesBehind: 1, step: "major", status: "behind", badgeLevel: 4, badgeColor: "#000", badgeLabel: "", unpinned: false,
    })),
  });
}

/** A read that found the environment as it was (same commit), save for `latest`: what a refresh saves then. */
async function readAgain(environment: string, at: number, latest = "2.0.0") {
  const { db } = database;
  await db.environmentSnapshot.update({ where: { environment }, data: { refreshedAt: new Date(at), lastSuccessAt: new Date(at) } });
  const rows = await db.serviceSnapshot.findMany({ where: { environment } });
  await db.serviceSnapshot.deleteMany({ where: { environment } });
  await db.serviceSnapshot.createMany({ data: rows.map((row) => ({ ...row, latest })) });
}

beforeAll(async () => {
  database = await createPgliteDatabase();
  provideDb(database.db);
  await saveEnvironment("dev", 1_000, "1.0.0");
  await saveEnvironment("prod", 1_000, "1.0.0");
});
afterAll(async () => database?.close());

describe("computeOverviewMatrix", () => {
  it("computes a matrix once per snapshot state, environments and filters", async () => {
    const data = await readSnapshotData();
    const first = computeOverviewMatrix(data, environments, ALL);
    expect(first.compact.columns.map((c) => c.name)).toEqual(["dev", "prod"]);
    expect(decodeCell(first.compact, 0, 1)).toMatchObject({ running: "1.0.0", latest: "2.0.0", status: "behind" });

    // Another viewer with the same environments and filters: the same matrix, not a copy.
    expect(computeOverviewMatrix(data, environments.map((e) => ({ ...e })), { ...ALL })).toBe(first);
    // Fewer environments, another filter, or a changed setting the matrix shows: computed anew.
    const prodOnly = computeOverviewMatrix(data, environments.slice(1), ALL);
    expect(prodOnly.compact.columns.map((c) => c.name)).toEqual(["prod"]);
    const searchOnly = computeOverviewMatrix(data, environments, { ...ALL, services: ["search"] });
    expect(searchOnly.compact.rows).toEqual(["search"]);
    const moved = computeOverviewMatrix(data, [environments[0]!, { ...environments[1]!, url: "https://prod.example.com" }], ALL);
    expect(moved).not.toBe(first);
    expect(moved.environments[1]!.url).toBe("https://prod.example.com");
  });

  it("computes again once a snapshot changed", async () => {
    const before = computeOverviewMatrix(await readSnapshotData(), environments, ALL);
    await saveEnvironment("prod", 2_000, "1.5.0");
    const after = computeOverviewMatrix(await readSnapshotData(), environments, ALL);
    expect(after).not.toBe(before);
    expect(decodeCell(after.compact, 0, 1)).toMatchObject({ running: "1.5.0" });
    expect(decodeCell(before.compact, 0, 1)).toMatchObject({ running: "1.0.0" });
    // Each computed matrix has an id of its own, which its copies carry: the server keeps its HTML under it.
    expect(after.compact.id).toMatch(/^[0-9a-f]{8}-\d+$/);
    expect(after.compact.id).not.toBe(before.compact.id);
    expect(computeOverviewMatrix(await readSnapshotData(), environments, { ...ALL, onlyBehind: true }).compact.id).not.toBe(after.compact.id);
    expect(computeOverviewMatrix(await readSnapshotData(), environments, ALL).compact.id).toBe(after.compact.id);
  });
});

describe("computeOverviewMatrix across refreshes that change nothing", () => {
  it("keeps the matrix when environments are read again and found as they were, with their new read times", async () => {
    const before = computeOverviewMatrix(await readSnapshotData(), environments, ALL);
    await readAgain("dev", 7_000);
    const data = await readSnapshotData();
    const after = computeOverviewMatrix(data, environments, ALL);
    expect(after.compact).toBe(before.compact);
    expect(after.environments[0]!.refreshedAt).toBe(new Date(7_000).toISOString());
    expect(before.environments[0]!.refreshedAt).not.toBe(after.environments[0]!.refreshedAt);
    expect(computeOverviewMatrix(data, environments, ALL)).toBe(after);
  });

  it("computes again when a read found other rows under the same commit (a newer chart in the registry)", async () => {
    const before = computeOverviewMatrix(await readSnapshotData(), environments, ALL);
    await readAgain("dev", 8_000, "3.0.0");
    const after = computeOverviewMatrix(await readSnapshotData(), environments, ALL);
    expect(after.compact).not.toBe(before.compact);
    expect(decodeCell(after.compact, 0, 0)).toMatchObject({ latest: "3.0.0" });
  });
});

describe("the matrix body on the server", () => {
  it("is made once per matrix id, though each request brings a fresh copy of the matrix", async () => {
    const matrix = computeOverviewMatrix(await readSnapshotData(), environments, ALL).compact;
    // The page's client component gets the matrix through the RSC payload: a new object with the same id every time.
    const html = statusMatrixBodyHtml(structuredClone(matrix));
    expect(html).toContain("<b>1.0.0</b>");
    // Proof that the second copy is not rendered: a copy whose cells say otherwise still gets the kept body.
    const altered = structuredClone(matrix);
    altered.versions = altered.versions.map((v) => (v === "1.0.0" ? "9.9.9" : v));
    expect(statusMatrixBodyHtml(altered)).toBe(html);
    // Without an id (the browser's copy, kept by identity) it is rendered from what it holds.
    expect(statusMatrixBodyHtml({ ...altered, id: undefined })).toContain("<b>9.9.9</b>");
  });
});
