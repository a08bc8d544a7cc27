import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import semver from "semver";
import { extractJiraKeys } from "../lib/changelog/extract-jira-keys";
import { DEMO_SERVICES } from "../lib/demo/demo-spec";
import { demoServiceTickets } from "../lib/demo/service-repo-history";
import type { StandInEffects, StandInTicket } from "../test/stand-ins/start-stand-ins";
import { mergeAsGatekeeper, signIn } from "./sign-in";

/**
 * The follow-through in the demo with its Jira, Slack and Grafana played by local stand-ins (test/stand-ins, started by
 * playwright.config.ts beside a demo run with `--integrations`): a request raised and merged in the browser, its jobs
 * listed as done on its page, and what the stand-ins were asked to do read from their control port.
 */
// One story on one demo: a second attempt would find the upgrade already merged, so failures are not retried.
test.describe.configure({ mode: "serial", retries: 0 });

const standIns = `http://127.0.0.1:${process.env.E2E_STAND_INS_PORT ?? 3190}`;

/**
 * The demo's tickets between two versions of a service (after `from`, up to `to`) that its changelog names: those its
 * commits write as Jira keys (uppercase; `chk-12: …` is not a key to Slipway, though Jira has the ticket).
 */
function ticketsBetween(service: string, from: string, to: string): string[] {
  const spec = DEMO_SERVICES.find((s) => s.key === service)!;
  return demoServiceTickets(spec)
    .filter((ticket) => semver.gt(ticket.release.version, from) && semver.lte(ticket.release.version, to))
    .filter((ticket) => extractJiraKeys(ticket.message, [spec.jiraProject]).includes(ticket.key))
    .map((ticket) => ticket.key);
}

async function effects(request: APIRequestContext): Promise<StandInEffects> {
  const response = await request.get(`${standIns}/__stand-ins/effects`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as StandInEffects;
}

async function ticket(request: APIRequestContext, key: string): Promise<StandInTicket> {
  const response = await request.get(`${standIns}/__stand-ins/tickets/${key}`);
  expect(response.ok(), `the Jira stand-in knows ${key}`).toBe(true);
  return (await response.json()) as StandInTicket;
}

/** The follow-through table's rows as [what, state]. */
async function jobRows(page: Page): Promise<{ what: string; state: string }[]> {
  const section = page.getByRole("region", { name: "Follow-through" });
  const rows = section.getByRole("row").filter({ has: page.getByRole("cell") });
  const result: { what: string; state: string }[] = [];
  for (const row of await rows.all()) {
    const cells = await row.getByRole("cell").allTextContents();
    result.push({ what: cells[0]!.trim(), state: cells[1]!.trim() });
  }
  return result;
}

/** The request the first test raised and merged, for the settings page's preview in the second. */
let mergedRequest: number | undefined;

test("an upgrade raised and merged is followed through in Jira, Slack and Grafana", async ({ page, request }) => {
  test.setTimeout(240_000);
  const changes = [
    { service: "checkout", from: "1.3.0", to: "1.3.2" },
    { service: "gateway", from: "4.1.0", to: "4.2.0" },
  ];
  const tickets = changes.flatMap((change) => ticketsBetween(change.service, change.from, change.to));
  expect(tickets.length).toBeGreaterThanOrEqual(3);
  const before = new Map<string, StandInTicket>();
  for (const key of tickets) before.set(key, await ticket(request, key));

  // Ben raises the upgrade of checkout and gateway in payments-eu.
  await signIn(page, "ben", "/environments/payments-eu");
  await page.getByRole("link", { name: "Upgrade services" }).click();
  await expect(page).toHaveURL(/\/environments\/payments-eu\/upgrade$/);
  for (const { service } of changes) await page.getByRole("checkbox", { name: `Select ${service}` }).check();
  await page.getByRole("button", { name: "Review changes" }).click();
  for (const { service, from, to } of changes) {
    await expect(page.getByRole("button", { name: new RegExp(`${service}\\s*${from.replace(/\./g, "\\.")}\\s*→\\s*${to.replace(/\./g, "\\.")}`) })).toBeVisible({
      timeout: 30_000,
    });
  }
  // The changelog names the demo's tickets, the ones the Jira stand-in was seeded with.
  await expect(page.getByRole("button", { name: new RegExp(`^${tickets[0]}\\b`) }).first()).toBeVisible();
  await page.getByRole("button", { name: "Raise change request" }).click();
  await expect(page).toHaveURL(/\/releases\/\d+$/, { timeout: 30_000 });
  const releaseUrl = page.url();
  const id = Number(new URL(releaseUrl).pathname.split("/").pop());
  mergedRequest = id;

  // The raise's jobs are listed on the request's page, with no integration reported off.
  const section = page.getByRole("region", { name: "Follow-through" });
  await expect(section.getByRole("heading", { name: "Follow-through" })).toBeVisible();
  await expect(section.getByText(/is off$/)).toHaveCount(0);
  await expect(section.getByText("Jira: create the fix version").first()).toBeVisible();
  await expect(section.getByText("Slack: announce in the channel")).toBeVisible();

  // Gita merges it; the merge's jobs join the list, and all of them end done (the runner polls every few seconds).
  await mergeAsGatekeeper(page, releaseUrl);
  await expect(async () => {
    await page.reload();
    const rows = await jobRows(page);
    const labels = rows.map((row) => row.what);
    for (const label of ["Jira: create the fix version", "Jira: move the ticket to done", "Jira: release the fix version", "Slack: update the announcement", "Slack: reply in the thread", "Grafana: annotate the release"]) {
      expect(labels.some((what) => what.startsWith(label)), label).toBe(true);
    }
    expect(rows.filter((row) => row.state !== "done")).toEqual([]);
  }).toPass({ timeout: 150_000, intervals: [2_000, 3_000, 5_000] });
  const rows = await jobRows(page);
  // One fix version per service, the ticket jobs per ticket, three Slack notices, an annotation per service.
  expect(rows.filter((row) => row.what.startsWith("Jira: create the fix version"))).toHaveLength(2);
  expect(rows.filter((row) => row.what.startsWith("Jira: move the ticket to done"))).toHaveLength(tickets.length);
  expect(rows.filter((row) => row.what.startsWith("Grafana: annotate the release"))).toHaveLength(2);
  // The fix versions are linked from the page.
  await expect(section.getByRole("link", { name: /^checkout\/payments-eu\/\d{4}-\d{2}-\d{2}\/1\.3\.2$/ })).toBeVisible();
  await expect(section.getByRole("link", { name: /^gateway\/payments-eu\/\d{4}-\d{2}-\d{2}\/4\.2\.0$/ })).toBeVisible();

  // What the stand-ins were asked to do, for this request only (the demo's other requests may have been followed too).
  const seen = await effects(request);
  // Jira: a fix version per service, created once and released; every ticket moved to done once and given the version.
  for (const { service, to } of changes) {
    const project = DEMO_SERVICES.find((s) => s.key === service)!.jiraProject;
    const versions = seen.jira.versions.filter((v) => v.project === project && new RegExp(`^${service}/payments-eu/\\d{4}-\\d{2}-\\d{2}/${to.replace(/\./g, "\\.")}$`).test(v.name));
    expect(versions, `${project}'s fix version of ${service} ${to}`).toHaveLength(1);
    expect(versions[0]!.released).toBe(true);
    expect(seen.jira.effects.filter((e) => e.kind === "version-created" && e.versionId === versions[0]!.id)).toHaveLength(1);
    for (const key of ticketsBetween(service, changes.find((c) => c.service === service)!.from, to)) {
      expect(seen.jira.effects.filter((e) => e.kind === "fix-version-added" && e.issue === key && e.versionId === versions[0]!.id), key).toHaveLength(1);
    }
  }
  for (const key of tickets) {
    const wasDone = before.get(key)!.status === "Done";
    expect(seen.jira.effects.filter((e) => e.kind === "transitioned" && e.issue === key), key).toHaveLength(wasDone ? 0 : 1);
    expect((await ticket(request, key)).status, key).toBe("Done");
    expect(seen.jira.effects.filter((e) => e.kind === "comment-added" && e.issue === key), key).toHaveLength(1);
  }
  // Slack: one announcement in #releases, updated once when it merged, with one reply in its thread.
  const messages = seen.slack.messages.filter((m) => m.key === `slack.post:${id}:#releases`);
  expect(messages).toHaveLength(1);
  expect(messages[0]!.updates).toBe(1);
  expect(messages[0]!.replies).toHaveLength(1);
  expect(messages[0]!.text).toContain("payments-eu");
  // Grafana: one annotation per service, tagged with the environment, the service and the version now running.
  for (const { service, to } of changes) {
    const annotations = seen.grafana.annotations.filter((a) => a.tags.includes(`slipway-request-${id}-${service}`));
    expect(annotations, service).toHaveLength(1);
    expect(annotations[0]!.tags).toEqual(expect.arrayContaining(["payments-eu", service, to, "slipway", "upgrade"]));
  }
});

test("the ticket drawer shows the ticket as Jira has it, and the settings page previews the Slack message", async ({ page, request }) => {
  test.setTimeout(120_000);
  // A changelog ticket of an upgrade Ben reviews in payments-us: its summary and status come from the Jira stand-in.
  const [key] = ticketsBetween("accounts", "5.0.1", "5.1.0");
  expect(key, "the demo names a ticket in accounts 5.1.0").toBeDefined();
  const jira = await ticket(request, key!);
  await signIn(page, "ben", "/environments/payments-us/upgrade");
  await page.getByRole("checkbox", { name: "Select accounts" }).check();
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByRole("button", { name: /accounts\s*5\.0\.1\s*→\s*5\.1\.0/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: new RegExp(`^${key}\\b`) }).first().click();
  const drawer = page.getByRole("dialog", { name: key });
  const fields = drawer.getByRole("region", { name: `${key} in Jira` });
  await expect(fields).toContainText(jira.summary, { timeout: 30_000 });
  await expect(fields).toContainText(jira.status);
  await expect(fields).toContainText(jira.type);
  await expect(drawer).not.toContainText("Jira is not configured");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // The admin's settings page previews what the merged request sends to Slack: its environment and version changes.
  expect(mergedRequest, "the first test raised and merged a request").toBeDefined();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, "ada", `/admin/settings?request=${mergedRequest}`);
  const announcement = page.getByRole("figure", { name: /^Slack: announce in the channel/ }).first();
  await expect(announcement).toBeVisible({ timeout: 30_000 });
  await expect(announcement).toContainText("payments-eu");
  await expect(announcement).toContainText(/checkout\s*1\.3\.0\s*→\s*1\.3\.2/);
  await expect(announcement).toContainText(/gateway\s*4\.1\.0\s*→\s*4\.2\.0/);
});
