import { afterEach, describe, expect, it } from "vitest";
import { jiraTicketSource } from "@/lib/tickets/jira-ticket-source";
import { readTicketDetails } from "@/lib/tickets/read-ticket-details";
import { CLOUD_USER, DC_USER, configFor, startJira, userFor, type JiraHarness } from "../jira/jira-fixtures";

/**
 * The ticket drawer's and the changelog's read of Jira, through the process's shared adapter (jiraTicketSource) and
 * the real jira-client, against the Jira test server as Cloud (enhanced search) and as Data Center (search).
 */

const harnesses: JiraHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.server.close()));
});

const secrets = (deployment: "cloud" | "datacenter") => {
  const values: Record<string, string> =
    deployment === "cloud" ? { JIRA_EMAIL: CLOUD_USER.login, JIRA_API_TOKEN: CLOUD_USER.token } : { JIRA_PAT: DC_USER.token };
  return (name: string) => values[name];
};

describe.each(["cloud", "datacenter"] as const)("readTicketDetails on Jira %s", (deployment) => {
  const searchRoute = deployment === "cloud" ? "POST /search/jql" : "POST /search";

  it("reads 60 tickets in one search, then answers the next read from the cache", async () => {
    const keys = Array.from({ length: 60 }, (_, index) => `PAY-${index + 1}`);
    const harness = await startJira(deployment, {
      projects: [{ key: "PAY", versions: [{ name: "payments/prod/2026-12-01/1.4.2", released: true, releaseDate: "2026-12-01" }] }],
      issues: [
        {
          key: "PAY-1",
          summary: "Retry card captures",
          status: "In Progress",
          type: "Bug",
          assignee: userFor(deployment).login,
          fixVersions: ["payments/prod/2026-12-01/1.4.2"],
        },
        ...keys.slice(1).map((key) => ({ key, summary: `Ticket ${key}`, status: "Done" })),
      ],
    });
    harnesses.push(harness);
    const config = { jira: configFor(harness.server, deployment, { cacheSeconds: 60 }) };

    const first = await readTicketDetails(jiraTicketSource(config, secrets(deployment)), keys);
    expect(first.jira).toBe("on");
    if (first.jira !== "on") return;
    expect(first.tickets.map((ticket) => ticket.key)).toEqual(keys);
    expect(first.tickets[0]).toEqual({
      key: "PAY-1",
      found: true,
      ticket: {
        key: "PAY-1",
        url: `${harness.server.siteUrl}/browse/PAY-1`,
        summary: "Retry card captures",
        status: { name: "In Progress", category: "in-progress" },
        type: "Bug",
        assignee: "Release Bot",
        fixVersions: [{ name: "payments/prod/2026-12-01/1.4.2", released: true }],
      },
    });
    expect(first.tickets[59]).toMatchObject({ found: true, ticket: { summary: "Ticket PAY-60", status: { category: "done" } } });
    expect(harness.server.count(searchRoute)).toBe(1);

    // Another action, another call for the source: the same adapter, so its cache answers.
    harness.server.resetRequests();
    const again = await readTicketDetails(jiraTicketSource(config, secrets(deployment)), ["PAY-60", "PAY-1"]);
    expect(again).toMatchObject({ jira: "on", tickets: [{ key: "PAY-60", found: true }, { key: "PAY-1", found: true }] });
    expect(harness.server.requests).toHaveLength(0);
  });

  it("says which tickets Jira does not know, beside those it does", async () => {
    const harness = await startJira(deployment, { projects: [{ key: "PAY" }], issues: [{ key: "PAY-1", summary: "Known" }] });
    harnesses.push(harness);
    const answer = await readTicketDetails(jiraTicketSource({ jira: configFor(harness.server, deployment) }, secrets(deployment)), ["PAY-1", "PAY-999"]);
    expect(answer).toMatchObject({
      jira: "on",
      tickets: [
        { key: "PAY-1", found: true, ticket: { summary: "Known" } },
        { key: "PAY-999", found: false, message: expect.stringContaining("PAY-999 does not exist in Jira") },
      ],
    });
  });

  it("reports a Jira that fails as an answer with its message, not an error", async () => {
    const harness = await startJira(deployment, { projects: [{ key: "PAY" }], issues: [{ key: "PAY-1" }] });
    harnesses.push(harness);
    const answer = await readTicketDetails(jiraTicketSource({ jira: configFor(harness.server, deployment) }, secrets(deployment)), ["PAY-1"]);
    expect(answer.jira).toBe("on");
    harness.server.inject({ status: 503, route: searchRoute });
    // A new configuration (a reloaded slipway.yaml) gets a new adapter, with nothing cached.
    const failed = await readTicketDetails(jiraTicketSource({ jira: configFor(harness.server, deployment) }, secrets(deployment)), ["PAY-1"]);
    expect(failed).toEqual({ jira: "failed", error: expect.stringMatching(/\S/) });
  });
});

describe("readTicketDetails with Jira off", () => {
  it("says slipway.yaml has no jira section", async () => {
    expect(await readTicketDetails(jiraTicketSource({}, () => undefined), ["PAY-1"])).toEqual({
      jira: "off",
      reason: "Jira is off: slipway.yaml has no jira: section",
    });
  });

  it("names the variable to set when the token is missing", async () => {
    const harness = await startJira("cloud");
    harnesses.push(harness);
    const answer = await readTicketDetails(jiraTicketSource({ jira: configFor(harness.server, "cloud") }, (name) => (name === "JIRA_EMAIL" ? CLOUD_USER.login : undefined)), [
      "PAY-1",
    ]);
    expect(answer).toEqual({ jira: "off", reason: expect.stringContaining("set JIRA_API_TOKEN") });
    expect(harness.server.requests).toHaveLength(0);
  });
});
