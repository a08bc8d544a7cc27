import "server-only";
import type { EnvironmentConfig, GitHubConfig } from "@/lib/config/schema";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HistoryEntryKind, VersionChange } from "./history-types";
import { pullRequestUrl } from "./pull-request-url";

export const MAX_HISTORY_PAGE = 10_000;
export const MAX_HISTORY_PAGE_SIZE = 100;

/** One history entry as pages show it: plain data, dates as ISO strings. */
export interface HistoryPageEntry {
  sha: string;
  date: string;
  authorName: string;
  authorEmail: string;
  subject: string;
  merge: boolean;
  kind: HistoryEntryKind;
  changes: VersionChange[];
  error?: string;
  /** The GitHub pull request behind it; `url` when the repository is on GitHub. */
  pullRequest?: { number: number; url?: string };
  /** The Slipway release request that made it, when Slipway did. */
  releaseRequest?: { id: number; kind: string; href: string };
  /** A Slipway change request the subject names that is not in this database (plain git, another Slipway). */
  changeRequest?: number;
}

/** How far the refresher has read the environment's history. */
export type HistoryReading =
  | { state: "not-started" }
  | { state: "reading" | "complete"; commitsRead: number; headSha: string; updatedAt: string };

export interface HistoryPage {
  entries: HistoryPageEntry[];
  total: number;
  /** The page shown: the one asked for, or the last one when it asked past the end. */
  page: number;
  pageSize: number;
  reading: HistoryReading;
}

export interface HistoryPageContext {
  db: PrismaClient;
  github?: GitHubConfig;
}

/**
 * One page of an environment's stored history, newest first, with the total count. Reads the database only (the
 * refresher keeps it current: lib/history/update-environment-history.ts). Entries are linked to release requests
 * here, at read time, so a request merged or recorded after its commit was read still shows.
 */
export async function readHistoryPage(
  env: Pick<EnvironmentConfig, "name" | "repo">,
  options: { page: number; pageSize: number },
  context: HistoryPageContext = { db: getDb(), github: getWorkspace().config.github },
): Promise<HistoryPage> {
  const { page, pageSize } = options;
  if (!Number.isInteger(page) || page < 1 || page > MAX_HISTORY_PAGE) {
    throw new ValidationError(`page must be a whole number from 1 to ${MAX_HISTORY_PAGE}, got ${page}`);
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_HISTORY_PAGE_SIZE) {
    throw new ValidationError(`pageSize must be a whole number from 1 to ${MAX_HISTORY_PAGE_SIZE}, got ${pageSize}`);
  }
  const { db } = context;
  const where = { environment: env.name };
  const [total, cursor] = await Promise.all([db.historyEntry.count({ where }), db.historyCursor.findUnique({ where })]);
  const shown = Math.min(page, Math.max(1, Math.ceil(total / pageSize)));
  const rows = await db.historyEntry.findMany({ where, orderBy: { seq: "desc" }, skip: (shown - 1) * pageSize, take: pageSize });

  const numbers = rows.flatMap((row) => (row.pullRequest === null ? [] : [row.pullRequest]));
  const ids = rows.flatMap((row) => (row.changeRequest === null ? [] : [row.changeRequest]));
  const requests = rows.length
    ? await db.releaseRequest.findMany({
        where: {
          environment: env.name,
          OR: [{ mergeSha: { in: rows.map((row) => row.sha) } }, { id: { in: ids } }, { number: { in: numbers }, repo: env.repo }],
        },
        select: { id: true, kind: true, mergeSha: true, number: true, url: true, repo: true },
      })
    : [];

  const entries = rows.map((row): HistoryPageEntry => {
    const request =
      requests.find((r) => r.mergeSha === row.sha) ??
      requests.find((r) => row.changeRequest !== null && r.id === row.changeRequest) ??
      requests.find((r) => row.pullRequest !== null && r.number === row.pullRequest && r.repo === env.repo);
    const number = row.pullRequest ?? request?.number ?? undefined;
    const url = (request?.number === number ? request?.url : undefined) ?? (number ? pullRequestUrl(context.github, env.repo, number) : undefined);
    return {
      sha: row.sha,
      date: row.committedAt.toISOString(),
      authorName: row.authorName,
      authorEmail: row.authorEmail,
      subject: row.subject,
      merge: row.merge,
      kind: row.kind as HistoryEntryKind,
      changes: row.changes as unknown as VersionChange[],
      ...(row.error !== null && { error: row.error }),
      ...(number !== undefined && { pullRequest: { number, ...(url && { url }) } }),
      ...(request && { releaseRequest: { id: request.id, kind: request.kind, href: `/releases/${request.id}` } }),
      ...(row.changeRequest !== null && !request && { changeRequest: row.changeRequest }),
    };
  });

  const reading: HistoryReading = cursor
    ? {
        state: cursor.nextSha === null ? "complete" : "reading",
        commitsRead: cursor.commitsRead,
        headSha: cursor.headSha,
        updatedAt: cursor.updatedAt.toISOString(),
      }
    : { state: "not-started" };
  return { entries, total, page: shown, pageSize, reading };
}
