import { afterEach, describe, expect, it } from "vitest";
import type { TicketRead } from "@/lib/integrations/jira/jira-client";
import { startJira, userFor, type Deployment, type JiraHarness } from "./jira-fixtures";
import type { TestIssueSeed } from "./jira-test-server";

/**
 * The Jira adapter through the real jira-client against the Jira test server, once as Jira Cloud (REST API v3, email
 * and API token, enhanced search) and once as Jira Data Center (REST API v2 under /jira, personal access token,
 * offset search).
 */

const harnesses: JiraHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.server.close()));
});

async function start(deployment: Deployment, serverOptions?: Parameters<typeof startJira>[1], extra?: Parameters<typeof startJira>[2]) {
  const harness = await startJira(deployment, serverOptions, extra);
  harnesses.push(harness);
  return harness;
}

function ticket(read: TicketRead | undefined) {
  if (!read?.found) throw new Error(`expected a ticket, got ${JSON.stringify(read)}`);
  return read.ticket;
}

describe.each(["cloud", "datacenter"] as const)("Jira %s", (deployment) => {
  const login = userFor(deployment).login;
  const routePrefix = deployment === "cloud" ? "/rest/api/3" : "/jira/rest/api/2";
  const searchRoute = deployment === "cloud" ? "POST /search/jql" : "POST /search";

  it("tests the connection: deployment, version and the account Slipway signs in as", async () => {
    const { jira } = await start(deployment);
    const connection = await jira.testConnection();
    expect(connection.deployment).toBe(deployment);
    expect(connection.user.displayName).toBe("Release Bot");
    expect(connection.user.id).toEqual(deployment === "cloud" ? expect.stringMatching(/^[0-9a-f]{24}$/) : "release-bot");
    expect(connection.warnings).toEqual([]);
  });

  it("reads tickets with summary, status, type, assignee, fix versions and labels, reshaped into Slipway's types", async () => {
    const { jira, server } = await start(deployment, {
      projects: [{ key: "PAY", versions: [{ name: "payments/staging/2025-03-01/1.4.1", released: true, releaseDate: "2025-03-01" }] }],
      issues: [
        { key: "PAY-1", summary: "Retry card captures", status: "In Progress", type: "Bug", assignee: login, fixVersions: ["payments/staging/2025-03-01/1.4.1"], labels: ["backend"] },
        { key: "PAY-2", summary: "Show receipts", status: "Done" },
      ],
    });
    const tickets = await jira.readTickets(["PAY-2", "pay-1"]);
    expect([...tickets.keys()]).toEqual(["PAY-2", "PAY-1"]);
    expect(ticket(tickets.get("PAY-1"))).toEqual({
      key: "PAY-1",
      project: "PAY",
      url: `${server.siteUrl}/browse/PAY-1`,
      summary: "Retry card captures",
      status: { name: "In Progress", category: "in-progress" },
      type: "Bug",
      assignee: { id: expect.any(String), displayName: "Release Bot" },
      fixVersions: [{ id: expect.any(String), name: "payments/staging/2025-03-01/1.4.1", released: true, archived: false, releaseDate: "2025-03-01" }],
      labels: ["backend"],
    });
    expect(ticket(tickets.get("PAY-2"))).toMatchObject({ status: { name: "Done", category: "done" } });
    expect(ticket(tickets.get("PAY-2")).assignee).toBeUndefined();
    expect(server.requests.every((request) => request.url.startsWith(routePrefix))).toBe(true);
  });

  it("reads 230 tickets in batches of at most 100 keys, following every page", async () => {
    const issues: TestIssueSeed[] = Array.from({ length: 230 }, (_, index) => ({ key: `PAY-${index + 1}` }));
    // A page cap below the batch size makes every batch take more than one page.
    const { jira, server } = await start(deployment, { issues, maxResultsCap: 40 });
    const keys = issues.map((issue) => issue.key);
    const tickets = await jira.readTickets(keys);
    expect([...tickets.values()].filter((read) => read.found)).toHaveLength(230);
    const searches = server.requests.filter((request) => request.route === searchRoute);
    // Batches of 100, 100 and 30 keys; pages of at most 40: 3 + 3 + 1.
    expect(searches).toHaveLength(7);
    for (const request of searches) {
      const body = request.body as { jql: string };
      expect(body.jql.match(/PAY-/g)!.length).toBeLessThanOrEqual(100);
    }
    if (deployment === "cloud") {
      expect(searches.filter((request) => (request.body as { nextPageToken?: string }).nextPageToken)).toHaveLength(4);
    } else {
      expect(searches.map((request) => (request.body as { startAt: number }).startAt)).toEqual([0, 40, 80, 0, 40, 80, 0]);
    }
  });

  it("caches ticket details for cacheSeconds, and reads again after a write or when asked for fresh ones", async () => {
    let now = new Date("2025-03-14T10:00:00Z");
    const { adapter, server } = await start(deployment, { issues: [{ key: "PAY-1" }, { key: "PAY-2" }] });
    const jira = adapter({ cacheSeconds: 60 }, { now: () => now });
    await jira.readTickets(["PAY-1", "PAY-2"]);
    await jira.readTickets(["PAY-1"]);
    expect(server.count(searchRoute)).toBe(1);
    now = new Date(now.getTime() + 61_000);
    await jira.readTickets(["PAY-1"]);
    expect(server.count(searchRoute)).toBe(2);
    await jira.readTickets(["PAY-1"], { fresh: true });
    expect(server.count(searchRoute)).toBe(3);
    await jira.addLabel("PAY-1", "released");
    expect(ticket((await jira.readTickets(["PAY-1"])).get("PAY-1")).labels).toEqual(["released"]);
    expect(server.count(searchRoute)).toBe(4);
  });

  it("reports unknown keys, tickets the account may not see, other projects and malformed keys, without failing the rest", async () => {
    const { adapter, server } = await start(deployment, {
      issues: [{ key: "PAY-1" }, { key: "SEC-1" }, { key: "OPS-1" }],
      users: [{ ...userFor(deployment), permissions: { SEC: { browse: false } } }],
    });
    const jira = adapter({ projects: ["PAY", "SEC"] });
    const tickets = await jira.readTickets(["PAY-1", "PAY-404", "SEC-1", "OPS-1", "NOPE-1", "12-3"]);
    expect(ticket(tickets.get("PAY-1")).key).toBe("PAY-1");
    expect(tickets.get("PAY-404")).toMatchObject({ found: false, reason: "unknown" });
    // Jira does not say whether a ticket exists when the account may not see it.
    expect(tickets.get("SEC-1")).toMatchObject({ found: false, reason: "unknown" });
    expect(tickets.get("OPS-1")).toMatchObject({ found: false, reason: "other-project", message: expect.stringContaining("jira.projects") });
    expect(tickets.get("NOPE-1")).toMatchObject({ found: false, reason: "other-project" });
    expect(tickets.get("12-3")).toMatchObject({ found: false, reason: "invalid-key" });
    // Other projects are never asked about.
    const asked = server.requests.filter((request) => request.route === searchRoute).map((request) => (request.body as { jql: string }).jql);
    expect(asked.join(" ")).not.toMatch(/OPS-1|NOPE-1/);
  });

  it("finds or creates a fix version by name, once per project", async () => {
    const { jira, server } = await start(deployment, {
      projects: [{ key: "PAY", versions: [{ name: "payments/production/2025-03-01/1.4.0", released: true }] }, { key: "OPS" }],
    });
    const existing = await jira.findOrCreateFixVersion("PAY", "PAYMENTS/production/2025-03-01/1.4.0");
    expect(existing).toMatchObject({ name: "payments/production/2025-03-01/1.4.0", released: true });
    expect(server.countEffects("version-created")).toBe(0);

    const created = await jira.findOrCreateFixVersion("PAY", "payments/production/2025-03-14/1.4.2");
    const again = await jira.findOrCreateFixVersion("pay", "payments/production/2025-03-14/1.4.2");
    expect(again).toEqual(created);
    expect(created).toMatchObject({ name: "payments/production/2025-03-14/1.4.2", released: false, archived: false });
    // The same name in another project is another version.
    const other = await jira.findOrCreateFixVersion("OPS", "payments/production/2025-03-14/1.4.2");
    expect(other.id).not.toBe(created.id);
    expect(server.countEffects("version-created")).toBe(2);
  });

  it("reads the winner when a create loses to the same name (a lost answer, or another worker)", async () => {
    const { jira, server } = await start(deployment, { projects: [{ key: "PAY" }] });
    // The first create lands in Jira but its answer is lost.
    server.injectOnce({ route: "POST /version", kind: "drop-response" });
    await expect(jira.findOrCreateFixVersion("PAY", "v1")).rejects.toMatchObject({ name: "JiraError", retryable: true });
    const version = await jira.findOrCreateFixVersion("PAY", "v1");
    expect(version.name).toBe("v1");
    expect(server.countEffects("version-created")).toBe(1);

    // A race: two workers read an empty list; the slower create meets the duplicate name and reads the winner.
    server.injectOnce({ route: "GET /project/{projectIdOrKey}", kind: "latency", ms: 150 });
    const [first, second] = await Promise.all([jira.findOrCreateFixVersion("PAY", "v2"), jira.findOrCreateFixVersion("PAY", "v2")]);
    expect(first.id).toBe(second.id);
    expect(server.count("POST /version", { status: 400 })).toBe(1);
    expect(server.countEffects("version-created")).toBe(2);
  });

  it("adds a fix version and a label to a ticket once; repeating is unchanged", async () => {
    const { jira, server } = await start(deployment, { projects: [{ key: "PAY" }], issues: [{ key: "PAY-1", labels: ["backend"] }] });
    const version = await jira.findOrCreateFixVersion("PAY", "payments/production/2025-03-14/1.4.2");
    expect(await jira.addFixVersion("PAY-1", version.id)).toMatchObject({ outcome: "changed" });
    expect(await jira.addFixVersion("PAY-1", version.id)).toMatchObject({ outcome: "unchanged" });
    expect(await jira.addLabel("PAY-1", "rolled-back")).toMatchObject({ outcome: "changed" });
    expect(await jira.addLabel("PAY-1", "rolled-back")).toMatchObject({ outcome: "unchanged" });
    expect(server.issue("PAY-1").fixVersionIds).toEqual([version.id]);
    expect(server.issue("PAY-1").labels).toEqual(["backend", "rolled-back"]);
    expect(server.countEffects("fix-version-added", { issue: "PAY-1" })).toBe(1);
    expect(server.countEffects("label-added", { issue: "PAY-1" })).toBe(1);
  });

  it("transitions by name, and does nothing for a ticket already done", async () => {
    const { jira, server } = await start(deployment, {
      issues: [{ key: "PAY-1", status: "In Review" }, { key: "PAY-2", status: "Done" }, { key: "PAY-3", status: "In Progress" }],
    });
    expect(await jira.transition("PAY-1", "done")).toMatchObject({ outcome: "changed", detail: expect.stringContaining("from In Review to Done") });
    expect(server.issue("PAY-1").status.name).toBe("Done");
    expect(await jira.transition("PAY-1", "Done")).toMatchObject({ outcome: "unchanged" });
    expect(await jira.transition("PAY-2", "Done", { unlessCategory: ["done"] })).toMatchObject({ outcome: "unchanged" });
    expect(server.countEffects("transitioned")).toBe(1);
    // Reopen exists only from Done.
    expect(await jira.transition("PAY-3", "Reopen")).toEqual({
      outcome: "skipped",
      reason: "no-transition",
      message: 'PAY-3: no transition named "Reopen" from status "In Progress" (available: Review, Done)',
    });
    expect(await jira.transition("PAY-2", "Reopen")).toMatchObject({ outcome: "changed" });
    expect(server.issue("PAY-2").status.name).toBe("To Do");
  });

  it("follows a project's own workflow names", async () => {
    const { adapter, server } = await start(deployment, {
      projects: [
        {
          key: "OPS",
          workflow: {
            statuses: [
              { name: "Open", category: "new" },
              { name: "Closed", category: "done" },
            ],
            transitions: [{ name: "Close", from: "*", to: "Closed" }],
          },
        },
      ],
      issues: [{ key: "OPS-7", status: "Open" }],
    });
    const jira = adapter({ doneTransitionByProject: { ops: "Close" } });
    expect(await jira.transition("OPS-7", "Close", { unlessCategory: ["done"] })).toMatchObject({ outcome: "changed" });
    expect(await jira.transition("OPS-7", "Close", { unlessCategory: ["done"] })).toMatchObject({ outcome: "unchanged" });
    expect(server.issue("OPS-7").status.name).toBe("Closed");
  });

  it("links a ticket to a pull request by globalId: created once, updated in place, unchanged when the same", async () => {
    const { jira, server } = await start(deployment, { issues: [{ key: "PAY-1" }] });
    const link = { url: "https://github.com/acme/stack/pull/42", title: "Upgrade payments to 1.4.2 in production", globalId: "slipway:acme/stack#42" };
    expect(await jira.linkPullRequest("PAY-1", link)).toMatchObject({ outcome: "changed", detail: "linked PAY-1 to https://github.com/acme/stack/pull/42" });
    expect(await jira.linkPullRequest("PAY-1", link)).toMatchObject({ outcome: "unchanged" });
    expect(await jira.linkPullRequest("PAY-1", { ...link, title: "Upgrade payments to 1.4.3 in production" })).toMatchObject({
      outcome: "changed",
      detail: expect.stringContaining("updated"),
    });
    expect(server.issue("PAY-1").remoteLinks).toHaveLength(1);
    expect(server.issue("PAY-1").remoteLinks[0]!.object).toMatchObject({ title: "Upgrade payments to 1.4.3 in production" });
    expect(server.countEffects("remote-link-created")).toBe(1);
    expect(server.countEffects("remote-link-updated")).toBe(1);
  });

  it("comments once per marker, as ADF on Cloud and as text on Data Center", async () => {
    const { jira, server } = await start(deployment, { issues: [{ key: "PAY-1" }] });
    const text = "Released to production: https://payments.example.com\nby Slipway";
    expect(await jira.comment("PAY-1", text, { marker: "rr-17/merged" })).toMatchObject({ outcome: "changed" });
    expect(await jira.comment("PAY-1", text, { marker: "rr-17/merged" })).toMatchObject({ outcome: "unchanged" });
    expect(await jira.comment("PAY-1", text, { marker: "rr-18/merged" })).toMatchObject({ outcome: "changed" });
    expect(await jira.comment("PAY-1", "no marker, no check")).toMatchObject({ outcome: "changed" });
    expect(server.countEffects("comment-added", { issue: "PAY-1" })).toBe(3);
    const body = server.issue("PAY-1").comments[0]!.body;
    if (deployment === "cloud") {
      expect(body).toMatchObject({ type: "doc", version: 1 });
      expect(JSON.stringify(body)).toContain('"marks":[{"type":"link","attrs":{"href":"https://payments.example.com"}}]');
    } else {
      expect(body).toBe(`${text}\n\nslipway:rr-17/merged`);
    }
    await expect(jira.comment("PAY-1", "x", { marker: "has spaces" })).rejects.toThrow(/marker/);
  });

  it("finds the marker past the first page of comments", async () => {
    const { jira, server } = await start(deployment, { issues: [{ key: "PAY-1" }] });
    await jira.comment("PAY-1", "first", { marker: "rr-1" });
    for (let index = 0; index < 120; index++) await jira.comment("PAY-1", `chatter ${index}`);
    expect(await jira.comment("PAY-1", "first", { marker: "rr-1" })).toMatchObject({ outcome: "unchanged" });
    expect(server.issue("PAY-1").comments).toHaveLength(121);
  });

  it("releases a fix version with the merge date, unreleases and archives it, each once", async () => {
    const { jira, server } = await start(deployment, { projects: [{ key: "PAY" }] });
    const version = await jira.findOrCreateFixVersion("PAY", "v1");
    expect(await jira.setVersionReleased(version.id, true, new Date("2025-03-14T18:00:00Z"))).toMatchObject({
      outcome: "changed",
      version: { released: true, releaseDate: "2025-03-14" },
    });
    expect(await jira.setVersionReleased(version.id, true, "2025-03-14")).toMatchObject({ outcome: "unchanged" });
    expect(await jira.setVersionReleased(version.id, false)).toMatchObject({ outcome: "changed", version: { released: false } });
    expect(await jira.archiveVersion(version.id)).toMatchObject({ outcome: "changed", version: { archived: true } });
    expect(await jira.archiveVersion(version.id)).toMatchObject({ outcome: "unchanged" });
    expect(server.countEffects("version-released")).toBe(1);
    expect(server.countEffects("version-unreleased")).toBe(1);
    expect(server.countEffects("version-archived")).toBe(1);
  });

  it("reports per-ticket refusals on the ticket: unknown keys, other projects, missing permissions", async () => {
    const { adapter, server } = await start(deployment, {
      projects: [{ key: "PAY" }, { key: "RO", versions: [{ name: "r1" }] }, { key: "SEC" }],
      issues: [{ key: "PAY-1" }, { key: "RO-1" }, { key: "SEC-1" }, { key: "OPS-1" }],
      users: [{ ...userFor(deployment), permissions: { RO: { edit: false, transition: false, comment: false, link: false, administer: false }, SEC: { browse: false } } }],
    });
    const jira = adapter({ projects: ["PAY", "RO", "SEC"] });
    const version = await jira.findOrCreateFixVersion("PAY", "v1");
    const roVersion = server.versions("RO")[0]!;
    expect(await jira.addFixVersion("OPS-1", version.id)).toMatchObject({ outcome: "skipped", reason: "other-project" });
    expect(await jira.addFixVersion("PAY-999", version.id)).toMatchObject({ outcome: "skipped", reason: "unknown-ticket" });
    expect(await jira.addFixVersion("SEC-1", version.id)).toMatchObject({ outcome: "skipped", reason: "unknown-ticket" });
    expect(await jira.addFixVersion("RO-1", roVersion.id)).toMatchObject({ outcome: "skipped", reason: "no-permission", message: expect.stringContaining("Edit Issues") });
    expect(await jira.addLabel("RO-1", "released")).toMatchObject({ outcome: "skipped", reason: "no-permission", message: expect.stringContaining("Edit Issues") });
    expect(await jira.comment("RO-1", "hello", { marker: "m" })).toMatchObject({ outcome: "skipped", reason: "no-permission", message: expect.stringContaining("Add Comments") });
    expect(await jira.linkPullRequest("RO-1", { url: "https://example.com/pr/1", title: "PR", globalId: "pr-1" })).toMatchObject({
      outcome: "skipped",
      reason: "no-permission",
      message: expect.stringContaining("Link Issues"),
    });
    expect(await jira.transition("RO-1", "Done")).toMatchObject({ outcome: "skipped", reason: "no-transition", message: expect.stringContaining("Transition Issues") });
    await expect(adapter().findOrCreateFixVersion("RO", "v1")).rejects.toMatchObject({ name: "JiraError", reason: "forbidden", message: expect.stringContaining("Administer Projects") });
    expect(server.effects.filter((entry) => entry.issue !== undefined)).toEqual([]);
  });
});

describe("Jira write idempotence across lost answers", () => {
  it.each(["cloud", "datacenter"] as const)("%s: a retried step after a dropped answer changes Jira exactly once", async (deployment) => {
    const { jira, server } = await start(deployment, { projects: [{ key: "PAY" }], issues: [{ key: "PAY-1", status: "In Review" }] });
    const retry = async <T,>(step: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await step();
        } catch (error) {
          if (!(error as { retryable?: boolean }).retryable) throw error;
        }
      }
    };
    for (const route of ["POST /version", "PUT /issue/{issueIdOrKey}", "POST /issue/{issueIdOrKey}/transitions", "POST /issue/{issueIdOrKey}/comment", "POST /issue/{issueIdOrKey}/remotelink", "PUT /version/{id}"]) {
      server.injectOnce({ route, kind: "drop-response" });
    }
    const version = await retry(() => jira.findOrCreateFixVersion("PAY", "v1"));
    await retry(() => jira.addFixVersion("PAY-1", version.id));
    await retry(() => jira.transition("PAY-1", "Done", { unlessCategory: ["done"] }));
    await retry(() => jira.comment("PAY-1", "Released", { marker: "rr-1/merged" }));
    await retry(() => jira.linkPullRequest("PAY-1", { url: "https://github.com/acme/stack/pull/1", title: "PR 1", globalId: "acme/stack#1" }));
    await retry(() => jira.setVersionReleased(version.id, true, "2025-03-14"));
    expect(server.requests.filter((request) => request.faulted)).toHaveLength(6);
    for (const kind of ["version-created", "fix-version-added", "transitioned", "comment-added", "remote-link-created", "version-released"] as const) {
      expect(server.countEffects(kind), kind).toBe(1);
    }
  });
});
