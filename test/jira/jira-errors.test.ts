import { afterEach, describe, expect, it } from "vitest";
import { isJiraError } from "@/lib/integrations/jira/jira-errors";
import { startJira, type Deployment, type JiraHarness } from "./jira-fixtures";

/** What the adapter throws when Jira as a whole fails, through jira-client against the test server's faults. */

const harnesses: JiraHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.server.close()));
});

async function start(deployment: Deployment) {
  const harness = await startJira(deployment, { projects: [{ key: "PAY" }], issues: [{ key: "PAY-1" }] });
  harnesses.push(harness);
  return harness;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!isJiraError(error)) throw error;
    return error;
  }
  throw new Error("expected a JiraError");
}

describe.each(["cloud", "datacenter"] as const)("Jira %s errors", (deployment) => {
  it("401: names the environment variables that hold the credentials; not retryable", async () => {
    const { adapter } = await start(deployment);
    const error = await failure(adapter({}, { token: "expired" }).readTickets(["PAY-1"]));
    expect(error).toMatchObject({ reason: "unauthorized", jiraStatus: 401, retryable: false, status: 502 });
    expect(error.message).toContain(deployment === "cloud" ? "check JIRA_API_TOKEN (an API token of the Atlassian account whose email is in JIRA_EMAIL)" : "check JIRA_PAT (a personal access token");
  });

  it("403: says which permission to ask for", async () => {
    const { jira, server } = await start(deployment);
    server.injectOnce({ route: "GET /serverInfo", status: 403, errorMessages: ["You do not have permission to view this."] });
    const error = await failure(jira.testConnection());
    expect(error).toMatchObject({ reason: "forbidden", jiraStatus: 403, retryable: false, jiraMessages: ["You do not have permission to view this."] });
    expect(error.message).toMatch(/ask a Jira administrator/);
  });

  it("404 for a version: not found, not retryable", async () => {
    const { jira } = await start(deployment);
    const error = await failure(jira.setVersionReleased("99999", true));
    expect(error).toMatchObject({ reason: "not-found", jiraStatus: 404, retryable: false });
    expect(error.message).toContain("Browse Projects");
  });

  it("429 with Retry-After: retryable, with the time Jira allows a retry", async () => {
    const now = new Date("2025-03-14T10:00:00Z");
    const { adapter, server } = await start(deployment);
    server.injectOnce({ kind: "rate-limit", retryAfterSeconds: 30 });
    const error = await failure(adapter({}, { now: () => now }).readTickets(["PAY-1"]));
    expect(error).toMatchObject({ reason: "rate-limited", jiraStatus: 429, retryable: true, status: 503 });
    expect(error.retryAfter).toEqual(new Date("2025-03-14T10:00:30Z"));
    server.injectOnce({ kind: "rate-limit", retryAfterSeconds: null });
    const without = await failure(adapter().readTickets(["PAY-1"], { fresh: true }));
    expect(without).toMatchObject({ reason: "rate-limited", retryable: true, retryAfter: undefined });
  });

  it("500 and 503: retryable", async () => {
    const { jira, server } = await start(deployment);
    server.injectOnce({ route: "POST /version", status: 500 });
    expect(await failure(jira.findOrCreateFixVersion("PAY", "v1"))).toMatchObject({ reason: "unavailable", jiraStatus: 500, retryable: true });
    server.injectOnce({ kind: "rate-limit", status: 503, retryAfterSeconds: 5 });
    const error = await failure(jira.testConnection());
    expect(error).toMatchObject({ reason: "unavailable", jiraStatus: 503, retryable: true });
    expect(error.retryAfter).toBeInstanceOf(Date);
    // Nothing was created by the failed attempt; the next one creates the version.
    expect((await jira.findOrCreateFixVersion("PAY", "v1")).name).toBe("v1");
  });

  it("a timeout, a dropped connection and a refused connection: retryable", async () => {
    const { adapter, server } = await start(deployment);
    const jira = adapter({ timeoutSeconds: 1 });
    server.injectOnce({ kind: "timeout" });
    expect(await failure(jira.testConnection())).toMatchObject({ reason: "unreachable", retryable: true, message: expect.stringContaining("did not answer in time") });
    server.injectOnce({ kind: "disconnect" });
    expect(await failure(jira.testConnection())).toMatchObject({ reason: "unreachable", retryable: true });
    await server.close();
    expect(await failure(jira.testConnection())).toMatchObject({ reason: "unreachable", retryable: true, message: expect.stringContaining("could not reach Jira") });
  });

  it("a failure for the whole batch throws instead of calling tickets unknown", async () => {
    const { jira, server } = await start(deployment);
    server.injectOnce({ status: 502 });
    await expect(jira.readTickets(["PAY-1"])).rejects.toMatchObject({ name: "JiraError", retryable: true });
    // Nothing was cached from the failed read.
    expect((await jira.readTickets(["PAY-1"])).get("PAY-1")).toMatchObject({ found: true });
  });
});
