import { z } from "zod";
import { ValidationError } from "@/lib/errors";
import type { GitHubDelivery } from "./read-github-delivery";

/**
 * GitHub's webhook payloads, reduced to what Slipway acts on: the fields read are checked with zod (after the signature,
 * so only GitHub's own payloads get this far) and reshaped into the events below; everything else in a payload is
 * ignored. Field names and types follow GitHub's webhook schemas (@octokit/openapi `x-webhooks`; checked by
 * test/webhooks/webhook-payload-contract.test.ts).
 */
export type GitHubWebhookEvent =
  | { kind: "ping" }
  /** A pull request closed, merged or not. */
  | {
      kind: "pull-request-closed";
      repo: string;
      number: number;
      merged: boolean;
      /** The pull request's head when it closed: what was merged. */
      headSha: string;
      mergedAt?: Date;
      /** GitHub's merge commit (or squash or rebase head) on the base branch, when merged. */
      mergeCommitSha?: string;
    }
  /** Commits pushed to (not deleting) a branch. */
  | { kind: "push"; repo: string; branch: string; headSha: string }
  /** Anything Slipway does not act on, and why, for the answer. */
  | { kind: "ignored"; reason: string };

const fullName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "is not owner/name").max(200);
const sha = z.string().regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, "is not a commit SHA");
const repository = z.object({ full_name: fullName });

const pullRequestAction = z.object({ action: z.string().max(100) });

const pullRequestClosed = z
  .object({
    repository,
    pull_request: z.object({
      number: z.number().int().positive(),
      merged: z.boolean().nullish(),
      merged_at: z.iso.datetime({ offset: true }).nullable(),
      merge_commit_sha: sha.nullable(),
      head: z.object({ sha }),
    }),
  })
  .transform(({ repository, pull_request: pull }) => {
    // `merged` is the field GitHub documents for this; merged_at agrees with it, and answers for a payload without it.
    const merged = pull.merged ?? pull.merged_at !== null;
    return {
      kind: "pull-request-closed" as const,
      repo: repository.full_name,
      number: pull.number,
      merged,
      headSha: pull.head.sha,
      ...(pull.merged_at ? { mergedAt: new Date(pull.merged_at) } : {}),
      // An unmerged pull request's merge_commit_sha is GitHub's test merge, which is on no branch.
      ...(merged && pull.merge_commit_sha ? { mergeCommitSha: pull.merge_commit_sha } : {}),
    };
  });

const push = z.object({
  ref: z.string().min(1).max(1000),
  after: sha,
  deleted: z.boolean().optional(),
  repository,
});

const BRANCH_REF = "refs/heads/";

/** What a verified delivery reports, or a 400 naming the first field that does not fit the event's schema. */
export function interpretGitHubDelivery(delivery: Pick<GitHubDelivery, "event" | "payload">): GitHubWebhookEvent {
  switch (delivery.event) {
    case "ping":
      return { kind: "ping" };
    case "pull_request": {
      const { action } = parse(pullRequestAction, delivery);
      if (action !== "closed") return { kind: "ignored", reason: `pull request ${action}` };
      return parse(pullRequestClosed, delivery);
    }
    case "push": {
      const event = parse(push, delivery);
      if (!event.ref.startsWith(BRANCH_REF)) return { kind: "ignored", reason: `push to ${event.ref}, not a branch` };
      const branch = event.ref.slice(BRANCH_REF.length);
      if (event.deleted) return { kind: "ignored", reason: `branch ${branch} deleted` };
      return { kind: "push", repo: event.repository.full_name, branch, headSha: event.after };
    }
    default:
      return { kind: "ignored", reason: `${delivery.event} events are not used` };
  }
}

function parse<T extends z.ZodTypeAny>(schema: T, delivery: Pick<GitHubDelivery, "event" | "payload">): z.output<T> {
  const parsed = schema.safeParse(delivery.payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ValidationError(`The ${delivery.event} payload's ${issue.path.join(".") || "body"} is invalid: ${issue.message}.`);
}
