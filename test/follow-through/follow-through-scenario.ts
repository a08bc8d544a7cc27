import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { secretsFrom } from "@/lib/config/environment";
import { readFollowThrough } from "@/lib/follow-through/read-follow-through";
import { catchUpReleaseEvents, recordReleaseEvent } from "@/lib/follow-through/record-release-event";
import type { JobRunner } from "@/lib/jobs/job-runner";
import { closeReleaseRequest, mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { planRollback } from "@/lib/releases/plan-rollback";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { DemoReleaseDeps } from "../support/demo-releases";
import { type Clock, PAYMENTS_CHANNEL, SECRETS, type Vendors, ben, drain, expectNoFailedJobs, gita } from "./follow-through-harness";

/**
 * Raise an upgrade of two services in the demo's payments-eu, merge it, roll it back (raise and merge), then raise it
 * again and close it; drain the jobs (after each step, or only at the end) and count every effect on the servers.
 */
export interface Scenario {
  /** Deps of each instance: steps alternate between them when there are two. */
  instances: DemoReleaseDeps[];
  runners: JobRunner[];
  clock: Clock;
  vendors: Vendors;
  /** The workspace's folder (slipway.yaml's). */
  baseDir: string;
  /** Drain after each step (true), or only after the last (false: the jobs pile up while vendors fail). */
  drainEachStep: boolean;
}

export interface ScenarioOutcome {
  upgrade: number;
  rollback: number;
  closed: number;
  known: string[];
  unknown: string;
}

export async function runScenario(scenario: Scenario): Promise<ScenarioOutcome> {
  const [first] = scenario.instances;
  const instance = (step: number) => scenario.instances[step % scenario.instances.length]!;
  const db = first!.db;
  const env = first!.config.environments.find((e) => e.name === "payments-eu")! as EnvironmentConfig;
  const stack = path.resolve(scenario.baseDir, env.repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: stack }).toString().trim();
  const step = async () => {
    if (scenario.drainEachStep) await drain(db, scenario.runners, scenario.clock);
  };

  const before = git("rev-parse", "main");
  const targets = [{ service: "checkout" }, { service: "gateway" }];
  const { plan } = await planUpgrade(first!, env, targets);
  const tickets = [...new Set(plan.items.flatMap((item) => item.changelog.tickets.map((t) => t.key)))];
  expect(tickets.length).toBeGreaterThanOrEqual(3);
  // Jira knows every ticket but the last; the first is done already.
  const unknown = tickets.at(-1)!;
  const known = tickets.slice(0, -1);
  for (const [index, key] of known.entries()) {
    if (!hasIssue(scenario.vendors, key)) scenario.vendors.jira.addIssue(key.slice(0, key.lastIndexOf("-")), { key, ...(index === 0 ? { status: "Done" } : {}) });
  }

  const upgrade = (await raiseUpgrade(instance(0), ben, env, { targets, baseSha: plan.baseSha })).id;
  await step();
  await mergeReleaseRequest(instance(1), gita, upgrade);
  await step();

  const back = await planRollback(instance(0), env, { to: before });
  const purpose = { kind: "rollback" as const, to: { sha: back.preview.to.sha, subject: back.preview.to.subject } };
  const rollbackTargets = back.preview.changes.map((change) => ({ service: change.service, version: change.to }));
  const rollback = (await raiseUpgrade(instance(0), ben, env, { targets: rollbackTargets, baseSha: back.plan.baseSha, purpose })).id;
  await step();
  await mergeReleaseRequest(instance(1), gita, rollback);
  await drain(db, scenario.runners, scenario.clock);
  await expectNoFailedJobs(db);
  expectJira(scenario.vendors, await db.releaseRequest.findUniqueOrThrow({ where: { id: upgrade }, include: { items: true } }), await db.releaseRequest.findUniqueOrThrow({ where: { id: rollback }, include: { items: true } }), known);

  // The same upgrade raised again on the rolled-back stack, then closed: Slack follows it too.
  const again = await planUpgrade(instance(0), env, targets);
  const closed = (await raiseUpgrade(instance(0), ben, env, { targets, baseSha: again.plan.baseSha })).id;
  await step();
  await closeReleaseRequest(instance(1), ben, closed);
  await drain(db, scenario.runners, scenario.clock);
  await expectNoFailedJobs(db);

  for (const channel of ["C0RELEASES", PAYMENTS_CHANNEL]) {
    // One top-level message per request, updated once when it settled, with one reply in its thread.
    expect(scenario.vendors.slack.effects(channel)).toEqual({ posts: 3, updates: 3, replies: 3 });
    const messages = scenario.vendors.slack.messages(channel);
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(scenario.vendors.slack.replies(channel, message.ts)).toHaveLength(1);
    expect(messages.map((message) => message.history.length)).toEqual([2, 2, 2]);
  }
  const stored = await db.releaseNotice.findMany({ orderBy: [{ releaseRequestId: "asc" }, { channel: "asc" }] });
  expect(stored.map((notice) => [notice.releaseRequestId, notice.channel])).toEqual([
    [upgrade, "#releases"],
    [upgrade, PAYMENTS_CHANNEL],
    [rollback, "#releases"],
    [rollback, PAYMENTS_CHANNEL],
    [closed, "#releases"],
    [closed, PAYMENTS_CHANNEL],
  ]);

  // One annotation per service per merge, found by its key tag.
  const merged = [upgrade, rollback];
  const services = (await db.releaseItem.findMany({ where: { requestId: { in: merged } } })).map((item) => [item.requestId, item.service] as const);
  expect(scenario.vendors.grafana.effects().created).toBe(services.length);
  for (const [id, service] of services) expect(scenario.vendors.grafana.annotationsTagged(`slipway-request-${id}-${service}`)).toHaveLength(1);

  // Recording any of these events again, from any instance, enqueues nothing: every effect has its job.
  for (const [type, id] of [["raised", upgrade], ["merged", upgrade], ["raised", rollback], ["merged", rollback], ["closed", closed]] as const) {
    expect(await recordReleaseEvent(instance(1), { type, requestId: id })).toEqual({ enqueued: 0 });
  }
  expect(await catchUpReleaseEvents({ db, config: first!.config, secret: secretsFrom(SECRETS), appUrl: SECRETS.NEXTAUTH_URL }, new Date(0))).toEqual({ enqueued: 0 });

  // The release request page: each job's state, the unknown ticket reported, links to versions and annotations.
  const view = await readFollowThrough(db, first!.config, secretsFrom(SECRETS), upgrade);
  expect(view.integrations).toEqual([
    { name: "jira", on: true },
    { name: "slack", on: true },
    { name: "grafana", on: true },
  ]);
  expect(view.jobs.every((job) => job.state === "done")).toBe(true);
  expect(view.jobs.find((job) => job.kind === "jira.ticket-raised" && job.subject === unknown)!.problems).toEqual([expect.stringContaining(`${unknown} does not exist in Jira`)]);
  expect(view.jobs.find((job) => job.kind === "slack.reply")).toMatchObject({ label: "Slack: reply in the thread", subject: "#releases · merged", attempts: expect.any(Number), maxAttempts: 16 });
  expect(view.jobs.flatMap((job) => job.problems)).toEqual(expect.arrayContaining([expect.stringContaining(unknown)]));
  // The ticket done before the merge is noted as such (a transition whose answer was lost is, too, on its retry).
  expect(view.jobs.flatMap((job) => job.notes)).toEqual(expect.arrayContaining([expect.stringContaining(`${known[0]} is already Done`)]));
  expect(view.fixVersions.length).toBeGreaterThan(0);
  expect(view.fixVersions[0]!.url).toMatch(/\/projects\/[A-Z]+\/versions\/\d+$/);
  expect(view.annotations.map((a) => a.service).sort()).toEqual(["checkout", "gateway"]);
  expect(view.annotations[0]!.url).toMatch(/^https:\/\/grafana\.example\.com\/d\/services\?var-env=payments-eu&var-service=\w+&from=\d+&to=\d+$/);

  if (process.env.FOLLOW_THROUGH_DEBUG) {
    const kinds = ["version-created", "version-released", "version-unreleased", "fix-version-added", "remote-link-created", "comment-added", "transitioned", "label-added"] as const;
    console.info(JSON.stringify({ known, unknown, jira: Object.fromEntries(kinds.map((k) => [k, scenario.vendors.jira.countEffects(k)])), slack: scenario.vendors.slack.effects(), grafana: scenario.vendors.grafana.effects(), jobs: await db.job.groupBy({ by: ["state"], _count: true, _sum: { attempts: true } }) }));
  }
  return { upgrade, rollback, closed, known, unknown };
}

function hasIssue(vendors: Vendors, key: string): boolean {
  try {
    vendors.jira.issue(key);
    return true;
  } catch {
    return false;
  }
}

type RequestWithItems = { id: number; items: { service: string; tickets: string[] }[] };

/** Each effect in Jira exactly once: counted per ticket and per version on the server. */
function expectJira(vendors: Vendors, upgrade: RequestWithItems, rollback: RequestWithItems, known: string[]): void {
  const jira = vendors.jira;
  const leaving = new Set(rollback.items.flatMap((item) => item.tickets));
  expect(leaving.size).toBeGreaterThan(0);
  for (const [index, ticket] of known.entries()) {
    const services = upgrade.items.filter((item) => item.tickets.includes(ticket)).length;
    const left = leaving.has(ticket) ? 1 : 0;
    expect({ ticket, fixVersions: jira.countEffects("fix-version-added", { issue: ticket }) }).toEqual({ ticket, fixVersions: services });
    expect({ ticket, links: jira.countEffects("remote-link-created", { issue: ticket }) }).toEqual({ ticket, links: 1 });
    expect({ ticket, comments: jira.countEffects("comment-added", { issue: ticket }) }).toEqual({ ticket, comments: 1 + left });
    // The first ticket was done before the merge: no transition then; a rollback moves it back (Reopen).
    expect({ ticket, transitions: jira.countEffects("transitioned", { issue: ticket }) }).toEqual({ ticket, transitions: (index === 0 ? 0 : 1) + left });
    expect({ ticket, labels: jira.countEffects("label-added", { issue: ticket }) }).toEqual({ ticket, labels: left });
  }
  expect(jira.countEffects("remote-link-updated")).toBe(0);
  const projects = new Set(known.map((key) => key.slice(0, key.lastIndexOf("-"))));
  const versions = new Set(upgrade.items.flatMap((item) => item.tickets.filter((t) => projects.has(t.slice(0, t.lastIndexOf("-")))).map((t) => `${item.service}:${t.slice(0, t.lastIndexOf("-"))}`)));
  expect(jira.countEffects("version-created")).toBe(versions.size);
  expect(jira.countEffects("version-released")).toBe(versions.size);
  const rolledBack = new Set(rollback.items.filter((item) => item.tickets.length > 0).map((item) => item.service));
  expect(jira.countEffects("version-unreleased")).toBe([...versions].filter((v) => rolledBack.has(v.split(":")[0]!)).length);
  expect(jira.countEffects("version-archived")).toBe(0);
}
