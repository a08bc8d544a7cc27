import "server-only";
import JiraApi from "jira-client";
import type { z } from "zod";
import { commentText, hasMarker, markerLine, toAdf } from "./comment-body";
import { jiraEndpoint, type JiraConfig, type JiraSecret } from "./jira-config";
import { JiraError, isJiraError, toJiraError, type JiraErrorContext } from "./jira-errors";
import {
  ISSUE_FIELDS,
  commentPagePayload,
  enhancedSearchPayload,
  issueFieldsPayload,
  issuePayload,
  myselfPayload,
  offsetSearchPayload,
  projectPayload,
  projectVersionsPayload,
  remoteLinksPayload,
  serverInfoPayload,
  transitionsPayload,
  versionPayload,
} from "./jira-payloads";
import { jiraTransport } from "./jira-transport";
import type { FixVersion, Jira, JiraConnection, StatusCategory, Ticket, TicketChange, TicketRead, VersionChange } from "./jira-types";

export type * from "./jira-types";
export { JiraError, isJiraError } from "./jira-errors";
export { fixVersionName } from "./fix-version-name";

/**
 * The Jira adapter: jira-client (Cloud on REST API v3 with an email and API token, Data Center on v2 with a personal
 * access token) behind the narrow `Jira` port of jira-types.ts.
 *
 * Every write is safe to repeat, so a job that retries after a timeout or a lost answer does not do it twice:
 * - a fix version is found by name before it is created (Jira keeps names unique per project; a create that loses a
 *   race to a duplicate name reads the winner);
 * - adding a fix version or a label first reads the ticket and does nothing when it is already there;
 * - a pull request link is posted with a `globalId`, which Jira treats as an upsert, and not posted at all when the
 *   link already reads the same;
 * - a transition is looked up by name among those available from the ticket's current status, and is a no-op when the
 *   ticket is already in the transition's target status (or in a status category the caller names, such as done);
 * - releasing, unreleasing and archiving a version read it first and only change what differs;
 * - comments are the exception, as Jira has no idempotent comment create: given a `marker`, the comment ends with a
 *   line `slipway:<marker>`, and the ticket's comments are searched for that line before one is added. Pass the same
 *   marker on every retry of one logical comment (for example the release request id and the step).
 *
 * Problems with one ticket (unknown key, another project, no permission, no such transition) come back as
 * `{ outcome: "skipped" }` for the release request to report. Problems with Jira as a whole (bad credentials, rate
 * limits, outages, timeouts) throw a JiraError whose `retryable` and `retryAfter` say whether and when to try again.
 * The adapter does not retry by itself; the durable job that calls it does.
 */

export interface JiraClientOptions {
  /** Clock for cache expiry and Retry-After dates (tests). */
  now?: () => Date;
  /** Issues per search page (at most 100, Jira's cap when fields are requested). */
  pageSize?: number;
  /** Keys per JQL query (default 100). */
  keysPerQuery?: number;
}

/** The parts of jira-client every public method is built from, for the endpoints it has no method for. */
interface JiraClientPlumbing {
  makeUri(options: { pathname: string; query?: Record<string, string | number | boolean> }): string;
  makeRequestHeader(uri: string, options?: Record<string, unknown>): Record<string, unknown>;
  doRequest(options: Record<string, unknown>): Promise<unknown>;
}

const KEY = /^([A-Z][A-Z0-9_]+)-([1-9][0-9]*)$/;
/** "An issue with key 'PAY-9' does not exist for field 'key'." and the like name unknown keys in quotes. */
const QUOTED_KEY = /'([A-Z][A-Z0-9_]+-[1-9][0-9]*)'/g;

export function createJira(config: JiraConfig, secret: JiraSecret, options: JiraClientOptions = {}): Jira {
  const endpoint = jiraEndpoint(config);
  const cloud = config.deployment === "cloud";
  const now = options.now ?? (() => new Date());
  const pageSize = Math.min(100, Math.max(1, options.pageSize ?? 100));
  const keysPerQuery = Math.min(100, Math.max(1, options.keysPerQuery ?? 100));
  const allowedProjects = config.projects ? new Set(config.projects) : undefined;
  const client = new JiraApi({
    protocol: endpoint.protocol,
    host: endpoint.host,
    ...(endpoint.port ? { port: String(endpoint.port) } : {}),
    base: endpoint.base,
    apiVersion: cloud ? "3" : "2",
    strictSSL: true,
    timeout: config.timeoutSeconds * 1000,
    request: jiraTransport,
    ...(secret.kind === "basic" ? { username: secret.email, password: secret.token } : { bearer: secret.token }),
  });
  const plumbing = client as unknown as JiraClientPlumbing;
  const credentials =
    "emailEnv" in config.auth
      ? `${config.auth.tokenEnv} (an API token of the Atlassian account whose email is in ${config.auth.emailEnv})`
      : `${config.auth.tokenEnv} (a personal access token of a Jira user)`;

  function context(action: string, permission?: string): JiraErrorContext {
    return { action, permission, credentials, siteUrl: endpoint.siteUrl, now: now() };
  }

  async function call<T>(action: string, permission: string | undefined, request: () => Promise<unknown>, schema: z.ZodType<T>): Promise<T> {
    let body: unknown;
    try {
      body = await request();
    } catch (error) {
      throw toJiraError(error, context(action, permission));
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new JiraError(`Jira answered in an unexpected shape while ${action}: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
        reason: "unexpected",
        retryable: false,
        jiraMessages: [],
      });
    }
    return parsed.data;
  }

  async function send(action: string, permission: string | undefined, request: () => Promise<unknown>): Promise<void> {
    try {
      await request();
    } catch (error) {
      throw toJiraError(error, context(action, permission));
    }
  }

  const raw = (pathname: string, query?: Record<string, string | number | boolean>, init: Record<string, unknown> = {}) =>
    plumbing.doRequest(plumbing.makeRequestHeader(plumbing.makeUri({ pathname, query }), init));

  // ---- reading tickets ---------------------------------------------------------------------------------------

  const cache = new Map<string, { read: TicketRead; expiresAt: number }>();
  const ticketSchema = issuePayload(endpoint.siteUrl);

  function normalizeKey(key: string): string {
    return key.trim().toUpperCase();
  }

  function projectOf(key: string): string {
    return key.slice(0, key.lastIndexOf("-"));
  }

  function outsideProjects(key: string): boolean {
    return allowedProjects !== undefined && !allowedProjects.has(projectOf(key));
  }

  function unknown(key: string): TicketRead {
    return { found: false, key, reason: "unknown", message: `${key} does not exist in Jira, or the Jira account may not see it` };
  }

  /** One JQL query's worth of keys, all pages; keys Jira calls unknown are dropped and the query asked again. */
  async function searchKeys(keys: string[]): Promise<Map<string, Ticket>> {
    const found = new Map<string, Ticket>();
    let remaining = keys;
    for (let attempt = 0; remaining.length > 0 && attempt <= keys.length; attempt++) {
      const jql = `key in (${remaining.map((key) => `"${key}"`).join(", ")})`;
      try {
        for await (const issue of searchPages(jql)) {
          const ticket = ticketSchema.safeParse(issue);
          if (ticket.success) found.set(ticket.data.key, ticket.data);
        }
        return found;
      } catch (error) {
        // Jira validates the keys of `key in (…)` and fails the whole query over one it cannot find (or may not
        // see), naming it: drop the named keys and ask again for the rest.
        if (!isJiraError(error) || error.reason !== "invalid") throw error;
        const named = new Set(error.jiraMessages.flatMap((message) => [...message.matchAll(QUOTED_KEY)].map((match) => match[1]!)));
        const next = remaining.filter((key) => !named.has(key));
        if (next.length === remaining.length) throw error;
        remaining = next;
      }
    }
    return found;
  }

  async function* searchPages(jql: string): AsyncGenerator<unknown> {
    const action = `searching Jira for ${jql.length > 80 ? `${jql.slice(0, 77)}…)` : jql}`;
    if (cloud) {
      // Cloud's enhanced search; jira-client has no method for it, so it goes through the client's own request path.
      let nextPageToken: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const body = { jql, fields: [...ISSUE_FIELDS], maxResults: pageSize, ...(nextPageToken ? { nextPageToken } : {}) };
        const result = await call(action, "Browse Projects", () => raw("/search/jql", undefined, { method: "POST", body }), enhancedSearchPayload);
        yield* result.issues;
        if (result.isLast !== false || !result.nextPageToken) return;
        nextPageToken = result.nextPageToken;
      }
      return;
    }
    let startAt = 0;
    for (let page = 0; page < 1000; page++) {
      const result = await call(
        action,
        "Browse Projects",
        () => client.searchJira(jql, { startAt, maxResults: pageSize, fields: [...ISSUE_FIELDS], validateQuery: false } as never),
        offsetSearchPayload,
      );
      yield* result.issues;
      startAt = result.startAt + result.issues.length;
      if (result.issues.length === 0 || result.total === undefined || startAt >= result.total) return;
    }
  }

  async function readTickets(keys: readonly string[], readOptions: { fresh?: boolean } = {}): Promise<Map<string, TicketRead>> {
    const result = new Map<string, TicketRead>();
    const wanted: string[] = [];
    const at = now().getTime();
    for (const given of keys) {
      const key = normalizeKey(given);
      if (result.has(key) || wanted.includes(key)) continue;
      if (!KEY.test(key)) {
        result.set(key, { found: false, key, reason: "invalid-key", message: `"${given}" is not a Jira issue key` });
      } else if (outsideProjects(key)) {
        result.set(key, { found: false, key, reason: "other-project", message: `${key} belongs to project ${projectOf(key)}, which slipway.yaml's jira.projects does not list` });
      } else {
        const cached = readOptions.fresh ? undefined : cache.get(key);
        if (cached && cached.expiresAt > at) result.set(key, cached.read);
        else wanted.push(key);
      }
    }
    for (let index = 0; index < wanted.length; index += keysPerQuery) {
      const batch = wanted.slice(index, index + keysPerQuery);
      const found = await searchKeys(batch);
      const expiresAt = now().getTime() + config.cacheSeconds * 1000;
      for (const key of batch) {
        const ticket = found.get(key);
        const read: TicketRead = ticket ? { found: true, ticket } : unknown(key);
        result.set(key, read);
        if (config.cacheSeconds > 0) cache.set(key, { read, expiresAt });
      }
    }
    // In the order asked.
    return new Map(keys.map(normalizeKey).filter((key, index, all) => all.indexOf(key) === index).map((key) => [key, result.get(key)!]));
  }

  // ---- writes to one ticket ----------------------------------------------------------------------------------

  /** Runs a write to one ticket: another project and per-ticket refusals become "skipped"; Jira-wide trouble throws. */
  async function onTicket(given: string, work: (key: string) => Promise<TicketChange>): Promise<TicketChange> {
    const key = normalizeKey(given);
    if (!KEY.test(key)) return { outcome: "skipped", reason: "unknown-ticket", message: `"${given}" is not a Jira issue key` };
    if (outsideProjects(key)) {
      return { outcome: "skipped", reason: "other-project", message: `${key} belongs to project ${projectOf(key)}, which slipway.yaml's jira.projects does not list` };
    }
    try {
      return await work(key);
    } catch (error) {
      if (!isJiraError(error)) throw error;
      switch (error.reason) {
        case "not-found":
          return { outcome: "skipped", reason: "unknown-ticket", message: `${key} does not exist in Jira, or the Jira account may not see it` };
        case "forbidden":
          return { outcome: "skipped", reason: "no-permission", message: error.message };
        case "invalid":
          return { outcome: "skipped", reason: "rejected", message: error.message };
        default:
          throw error;
      }
    } finally {
      cache.delete(key);
    }
  }

  function readFields(key: string, fields: string, action: string) {
    return call(action, "Browse Projects", () => raw(`/issue/${key}`, { fields }), issueFieldsPayload);
  }

  async function addFixVersion(given: string, versionId: string): Promise<TicketChange> {
    return onTicket(given, async (key) => {
      const action = `adding fix version ${versionId} to ${key}`;
      const issue = await readFields(key, "fixVersions", action);
      if (issue.fields.fixVersions?.some((version) => version.id === versionId)) {
        return { outcome: "unchanged", detail: `${key} already has fix version ${versionId}` };
      }
      await send(action, "Edit Issues", () => client.updateIssue(key, { update: { fixVersions: [{ add: { id: versionId } }] } }));
      return { outcome: "changed", detail: `added fix version ${versionId} to ${key}` };
    });
  }

  async function addLabel(given: string, label: string): Promise<TicketChange> {
    if (!/^\S{1,255}$/.test(label)) throw new Error(`Jira label "${label}" must be 1–255 characters without spaces`);
    return onTicket(given, async (key) => {
      const action = `adding label ${label} to ${key}`;
      const issue = await readFields(key, "labels", action);
      if (issue.fields.labels?.includes(label)) return { outcome: "unchanged", detail: `${key} already has label ${label}` };
      await send(action, "Edit Issues", () => client.updateIssue(key, { update: { labels: [{ add: label }] } }));
      return { outcome: "changed", detail: `added label ${label} to ${key}` };
    });
  }

  async function linkPullRequest(given: string, link: Parameters<Jira["linkPullRequest"]>[1]): Promise<TicketChange> {
    if (link.globalId.length > 255) throw new Error("a remote link's globalId is at most 255 characters in Jira");
    return onTicket(given, async (key) => {
      const action = `linking ${key} to ${link.url}`;
      // All of the ticket's links rather than `?globalId=`: Jira answers that with one object or a 404, depending on
      // the version, while the list is the same everywhere and short.
      const existing = await call(action, "Browse Projects", () => client.getRemoteLinks(key), remoteLinksPayload);
      const same = existing.find((candidate) => candidate.globalId === link.globalId);
      const summary = link.summary ?? undefined;
      if (same && same.object?.url === link.url && same.object?.title === link.title && (same.object?.summary ?? undefined) === summary && link.resolved === undefined) {
        return { outcome: "unchanged", detail: `${key} already links to ${link.url}` };
      }
      await send(action, "Link Issues", () =>
        client.createRemoteLink(key, {
          globalId: link.globalId,
          application: { type: "com.slipway", name: "Slipway" },
          relationship: "release request",
          object: {
            url: link.url,
            title: link.title,
            ...(summary ? { summary } : {}),
            ...(link.resolved === undefined ? {} : { status: { resolved: link.resolved } }),
          },
        }),
      );
      return { outcome: "changed", detail: same ? `updated the link from ${key} to ${link.url}` : `linked ${key} to ${link.url}` };
    });
  }

  async function comment(given: string, text: string, options: { marker?: string } = {}): Promise<TicketChange> {
    if (options.marker !== undefined) markerLine(options.marker); // validates before any request
    return onTicket(given, async (key) => {
      const action = `commenting on ${key}`;
      if (options.marker !== undefined) {
        for (let startAt = 0, page = 0; page < 200; page++) {
          const result = await call(action, "Browse Projects", () => raw(`/issue/${key}/comment`, { startAt, maxResults: 100 }), commentPagePayload);
          if (result.comments.some((existing) => hasMarker(existing.body, options.marker!))) {
            return { outcome: "unchanged", detail: `${key} already has the comment marked ${options.marker}` };
          }
          startAt = result.startAt + result.comments.length;
          if (result.comments.length === 0 || result.total === undefined || startAt >= result.total) break;
        }
      }
      const body = commentText(text, options.marker);
      await send(action, "Add Comments", () => client.addCommentAdvanced(key, { body: cloud ? toAdf(body) : body } as never));
      return { outcome: "changed", detail: `commented on ${key}` };
    });
  }

  async function transition(given: string, name: string, options: { unlessCategory?: readonly StatusCategory[] } = {}): Promise<TicketChange> {
    return onTicket(given, async (key) => {
      const action = `moving ${key} through transition "${name}"`;
      const issue = await readFields(key, "status", action);
      const current = issue.fields.status?.name ?? "Unknown";
      const category = issue.fields.status?.statusCategory?.key;
      const currentCategory: StatusCategory = category === "done" ? "done" : category === "indeterminate" ? "in-progress" : "todo";
      if (options.unlessCategory?.includes(currentCategory)) {
        return { outcome: "unchanged", detail: `${key} is already ${current} (${currentCategory})` };
      }
      const available = await call(action, "Transition Issues", () => client.listTransitions(key), transitionsPayload);
      const wanted = name.trim().toLowerCase();
      const match = available.find((candidate) => candidate.name.trim().toLowerCase() === wanted);
      if (!match) {
        // A workflow usually names a transition after the status it leads to: no "Done" from Done is no work to do.
        if (current.trim().toLowerCase() === wanted) return { outcome: "unchanged", detail: `${key} is already ${current}` };
        const names = available.map((candidate) => candidate.name);
        return {
          outcome: "skipped",
          reason: "no-transition",
          message:
            `${key}: no transition named "${name}" from status "${current}"` +
            (names.length > 0 ? ` (available: ${names.join(", ")})` : " (none available: the workflow has none from here, or the Jira account lacks the Transition Issues permission)"),
        };
      }
      if (match.to && match.to.name === current) return { outcome: "unchanged", detail: `${key} is already ${current}` };
      await send(action, "Transition Issues", () => client.transitionIssue(key, { transition: { id: match.id } }));
      return { outcome: "changed", detail: `moved ${key} from ${current} to ${match.to?.name ?? name}` };
    });
  }

  // ---- versions ----------------------------------------------------------------------------------------------

  async function projectVersions(project: string, action: string): Promise<FixVersion[]> {
    const versions = await call(action, "Browse Projects", () => client.getVersions(project), projectVersionsPayload);
    return versions.flatMap((entry) => {
      const version = versionPayload.safeParse(entry);
      return version.success ? [version.data] : [];
    });
  }

  async function findOrCreateFixVersion(givenProject: string, name: string, options: { description?: string } = {}): Promise<FixVersion> {
    const project = givenProject.trim().toUpperCase();
    if (name.length === 0 || name.length > 255) throw new Error(`fix version name must be 1–255 characters: "${name}"`);
    if (allowedProjects && !allowedProjects.has(project)) {
      throw new JiraError(`project ${project} is not in slipway.yaml's jira.projects`, { reason: "forbidden", retryable: false, jiraMessages: [] });
    }
    const action = `creating fix version "${name}" in ${project}`;
    // Jira compares version names without regard to case.
    const sameName = (version: FixVersion) => version.name.toLowerCase() === name.toLowerCase();
    const existing = (await projectVersions(project, action)).find(sameName);
    if (existing) return existing;
    const { id } = await call(action, "Browse Projects", () => client.getProject(project), projectPayload);
    try {
      return await call(
        action,
        "Administer Projects (or Manage versions)",
        () => client.createVersion({ name, projectId: Number(id), ...(options.description ? { description: options.description } : {}) } as never),
        versionPayload,
      );
    } catch (error) {
      // Another worker created it between the read and the create (or an earlier create's answer was lost).
      if (isJiraError(error) && error.reason === "invalid" && error.jiraMessages.some((message) => /already exists/i.test(message))) {
        const winner = (await projectVersions(project, action)).find(sameName);
        if (winner) return winner;
      }
      throw error;
    }
  }

  async function updateVersion(versionId: string, action: string, wanted: (version: FixVersion) => Record<string, unknown> | undefined): Promise<VersionChange> {
    const current = await call(action, "Browse Projects", () => client.getVersion(versionId), versionPayload);
    const changes = wanted(current);
    if (!changes) return { outcome: "unchanged", version: current };
    const version = await call(action, "Administer Projects (or Manage versions)", () => client.updateVersion({ id: versionId, ...changes } as never), versionPayload);
    return { outcome: "changed", version };
  }

  function setVersionReleased(versionId: string, released: boolean, releaseDate?: Date | string): Promise<VersionChange> {
    const date = releaseDate === undefined ? undefined : typeof releaseDate === "string" ? releaseDate : releaseDate.toISOString().slice(0, 10);
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`release date "${date}" is not YYYY-MM-DD`);
    return updateVersion(versionId, `${released ? "releasing" : "unreleasing"} fix version ${versionId}`, (version) => {
      if (released) {
        if (version.released && (date === undefined || version.releaseDate === date)) return undefined;
        return { released: true, ...(date ? { releaseDate: date } : {}) };
      }
      return version.released ? { released: false } : undefined;
    });
  }

  function archiveVersion(versionId: string): Promise<VersionChange> {
    return updateVersion(versionId, `archiving fix version ${versionId}`, (version) => (version.archived ? undefined : { archived: true }));
  }

  // ---- connection --------------------------------------------------------------------------------------------

  async function testConnection(): Promise<JiraConnection> {
    const info = await call("reading Jira's server information", undefined, () => client.getServerInfo(), serverInfoPayload);
    const me = await call("reading the Jira account Slipway signs in as", undefined, () => client.getCurrentUser(), myselfPayload);
    const deployment = info.deploymentType === "Cloud" ? "cloud" : "datacenter";
    const warnings: string[] = [];
    if (deployment !== config.deployment) {
      warnings.push(`slipway.yaml says jira.deployment: ${config.deployment}, but Jira reports deploymentType ${info.deploymentType ?? "(none)"}`);
    }
    const id = me.accountId ?? me.name ?? me.key ?? "unknown";
    return {
      deployment,
      version: info.version,
      ...(info.serverTitle ? { serverTitle: info.serverTitle } : {}),
      ...(info.baseUrl ? { baseUrl: info.baseUrl } : {}),
      user: { id, displayName: me.displayName ?? id, ...(me.emailAddress ? { email: me.emailAddress } : {}) },
      warnings,
    };
  }

  return {
    deployment: config.deployment,
    siteUrl: endpoint.siteUrl,
    readTickets,
    findOrCreateFixVersion,
    addFixVersion,
    addLabel,
    linkPullRequest,
    comment,
    transition,
    setVersionReleased,
    archiveVersion,
    testConnection,
  };
}
