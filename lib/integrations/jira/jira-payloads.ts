import "server-only";
import { z } from "zod";
import type { FixVersion, StatusCategory, Ticket } from "./jira-types";

/**
 * Jira's JSON, parsed and reshaped into Slipway's types in one place. Only the fields Slipway reads are declared;
 * Jira sends many more, which are ignored. Shapes follow Jira's OpenAPI description (IssueBean, StatusDetails,
 * Version, IssueTransition, PageOfComments, ServerInformation, User) and Data Center's REST reference, which agree
 * on these fields except where noted.
 */

const statusCategory = (key: string | undefined): StatusCategory => (key === "done" ? "done" : key === "indeterminate" ? "in-progress" : "todo");

export const versionPayload = z
  .object({
    id: z.string(),
    name: z.string(),
    released: z.boolean().optional(),
    archived: z.boolean().optional(),
    releaseDate: z.string().optional(),
    projectId: z.number().optional(),
  })
  .transform(
    (version): FixVersion => ({
      id: version.id,
      name: version.name,
      released: version.released ?? false,
      archived: version.archived ?? false,
      ...(version.releaseDate ? { releaseDate: version.releaseDate } : {}),
    }),
  );

const statusPayload = z.object({
  name: z.string(),
  statusCategory: z.object({ key: z.string().optional() }).optional(),
});

/** Cloud identifies people by accountId, Data Center by name (and key). */
const personPayload = z.object({
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});

export const ISSUE_FIELDS = ["summary", "status", "issuetype", "assignee", "fixVersions", "labels", "project"] as const;

export function issuePayload(siteUrl: string) {
  return z
    .object({
      key: z.string(),
      fields: z.object({
        summary: z.string().optional(),
        status: statusPayload.optional(),
        issuetype: z.object({ name: z.string() }).optional(),
        assignee: personPayload.nullable().optional(),
        fixVersions: z.array(versionPayload).optional(),
        labels: z.array(z.string()).optional(),
        project: z.object({ key: z.string() }).optional(),
      }),
    })
    .transform(({ key, fields }): Ticket => {
      const assignee = fields.assignee;
      const assigneeId = assignee?.accountId ?? assignee?.name ?? assignee?.key;
      return {
        key,
        project: fields.project?.key ?? key.slice(0, key.lastIndexOf("-")),
        url: `${siteUrl}/browse/${key}`,
        summary: fields.summary ?? "",
        status: { name: fields.status?.name ?? "Unknown", category: statusCategory(fields.status?.statusCategory?.key) },
        type: fields.issuetype?.name ?? "Issue",
        ...(assignee && assigneeId ? { assignee: { id: assigneeId, displayName: assignee.displayName ?? assigneeId } } : {}),
        fixVersions: fields.fixVersions ?? [],
        labels: fields.labels ?? [],
      };
    });
}

/** Cloud's enhanced search (POST /rest/api/3/search/jql): token paging, no total. */
export const enhancedSearchPayload = z.object({
  issues: z.array(z.unknown()).default([]),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
});

/** Data Center's search (POST /rest/api/2/search): offset paging with a total. */
export const offsetSearchPayload = z.object({
  issues: z.array(z.unknown()).default([]),
  startAt: z.number().default(0),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  warningMessages: z.array(z.string()).optional(),
});

/** GET /issue/{key}?fields=… for the one or two fields a write needs to see first. */
export const issueFieldsPayload = z.object({
  key: z.string(),
  fields: z.object({
    status: statusPayload.optional(),
    fixVersions: z.array(z.object({ id: z.string() })).optional(),
    labels: z.array(z.string()).optional(),
  }),
});

export const transitionsPayload = z
  .object({
    transitions: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        to: statusPayload.optional(),
        isAvailable: z.boolean().optional(),
      }),
    ),
  })
  .transform(({ transitions }) =>
    transitions
      // Cloud lists unavailable transitions only when asked (includeUnavailableTransitions); skip them either way.
      .filter((transition) => transition.isAvailable !== false)
      .map((transition) => ({
        id: transition.id,
        name: transition.name,
        to: transition.to ? { name: transition.to.name, category: statusCategory(transition.to.statusCategory?.key) } : undefined,
      })),
  );

export const commentPagePayload = z.object({
  startAt: z.number().default(0),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  // v2: a string of wiki markup; v3: an Atlassian Document Format node.
  comments: z.array(z.object({ id: z.string(), body: z.unknown() })).default([]),
});

export const remoteLinksPayload = z.array(
  z.object({
    id: z.number(),
    globalId: z.string().optional(),
    object: z.object({ url: z.string().optional(), title: z.string().optional(), summary: z.string().optional() }).optional(),
  }),
);

export const serverInfoPayload = z.object({
  version: z.string().default("unknown"),
  deploymentType: z.string().optional(),
  serverTitle: z.string().optional(),
  baseUrl: z.string().optional(),
});

export const myselfPayload = personPayload;

export const projectVersionsPayload = z.array(z.unknown());

export const projectPayload = z.object({ id: z.string(), key: z.string() });
