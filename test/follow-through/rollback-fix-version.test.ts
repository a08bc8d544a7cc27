import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { createFollowThroughHandlers } from "@/lib/follow-through/follow-through-handlers";
import type { JobContext } from "@/lib/jobs/job-runner";
import { CLOUD_USER, type JiraHarness, configFor, startJira } from "../jira/jira-fixtures";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

/**
 * What a rollback's merge does to the fix versions that carried its tickets into the environment: unreleased by
 * default, unreleased and archived with `jira.rollback.fixVersion: archive` — each once, however often the job runs.
 */
let harness: JiraHarness;
let database: TestDatabase;
const secret = secretsFrom({ JIRA_EMAIL: CLOUD_USER.login, JIRA_API_TOKEN: CLOUD_USER.token });
const context = { job: { id: 1, kind: "jira.rollback-version", idempotencyKey: "k", releaseRequestId: 2, attempts: 1 }, signal: new AbortController().signal } as JobContext;

beforeAll(async () => {
  harness = await startJira("cloud", { projects: [{ key: "PAY" }], issues: [{ key: "PAY-7", summary: "Refunds", status: "Done" }] });
  database = await createPgliteDatabase();
});
afterAll(async () => {
  await database?.close();
  await harness?.server.close();
});

/** A merged upgrade of payments that carried PAY-7 into the environment with a released fix version, and its rollback. */
async function mergedUpgradeAndRollback(environment: string, versionName: string): Promise<{ versionId: string; rollbackId: number }> {
  const version = await harness.jira.findOrCreateFixVersion("PAY", versionName);
  await harness.jira.setVersionReleased(version.id, true, new Date("2026-12-01T10:00:00Z"));
  const request = (kind: string, state: string) => ({
    kind,
    environment,
    state,
    title: `${kind} payments`,
    body: "",
    requester: "ben",
    requesterSource: "local",
    idempotencyKey: `${versionName}:${kind}`,
    provider: "local",
    repo: "./payments",
    baseBranch: "main",
    baseSha: "0".repeat(40),
    branch: `slipway/${versionName}/${kind}`,
    files: [],
    items: { create: [{ service: "payments", chart: "payments", fromVersion: kind === "upgrade" ? "2.0.0" : "2.1.0", toVersion: kind === "upgrade" ? "2.1.0" : "2.0.0", tickets: ["PAY-7"] }] },
  });
  const upgrade = await database.db.releaseRequest.create({ data: request("upgrade", "merged") });
  await database.db.releaseFixVersion.create({ data: { releaseRequestId: upgrade.id, service: "payments", project: "PAY", versionId: version.id, name: versionName } });
  const rollback = await database.db.releaseRequest.create({ data: request("rollback", "merged") });
  return { versionId: version.id, rollbackId: rollback.id };
}

function rollbackVersion(rollback: "unrelease" | "archive") {
  const config = { environments: [], jira: configFor(harness.server, "cloud", { rollback: { label: "rolled-back", fixVersion: rollback } }) };
  return createFollowThroughHandlers({ db: database.db, config, secret })["jira.rollback-version"];
}

describe("a rollback's merge and the fix versions it takes back", () => {
  it("unreleases them by default, once however often the job runs", async () => {
    const { versionId, rollbackId } = await mergedUpgradeAndRollback("payments-eu", "payments/payments-eu/2026.12.01/2.1.0");
    const payload = { requestId: rollbackId, service: "payments", environment: "payments-eu", tickets: ["PAY-7"] };
    expect(await rollbackVersion("unrelease")(payload, context)).toMatchObject({ changes: ["payments/payments-eu/2026.12.01/2.1.0 in PAY unreleased"] });
    await rollbackVersion("unrelease")(payload, context);
    expect(harness.server.countEffects("version-unreleased", { versionId })).toBe(1);
    expect(harness.server.countEffects("version-archived", { versionId })).toBe(0);
  });

  it("also archives them with rollback.fixVersion: archive, once", async () => {
    const { versionId, rollbackId } = await mergedUpgradeAndRollback("payments-us", "payments/payments-us/2026.12.02/2.1.0");
    const payload = { requestId: rollbackId, service: "payments", environment: "payments-us", tickets: ["PAY-7"] };
    const report = await rollbackVersion("archive")(payload, context);
    expect(report).toMatchObject({
      changes: ["payments/payments-us/2026.12.02/2.1.0 in PAY unreleased", "payments/payments-us/2026.12.02/2.1.0 in PAY archived"],
    });
    expect(await rollbackVersion("archive")(payload, context)).toMatchObject({ changes: [] });
    expect(harness.server.countEffects("version-unreleased", { versionId })).toBe(1);
    expect(harness.server.countEffects("version-archived", { versionId })).toBe(1);
  });
});
