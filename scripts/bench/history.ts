import path from "node:path";
import { environmentConfigSchema } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readHistoryPage } from "@/lib/history/read-history-page";
import { DEFAULT_HISTORY_MAX_COMMITS, updateEnvironmentHistory } from "@/lib/history/update-environment-history";
import { type GitCost, countGitCalls } from "./counting-git-provider";
import { log, median, ms, round } from "./figures";
import { commitUpgrade, writeHistoryBranch } from "./history-branch";

export const HISTORY_SIZE = { commits: 5000, services: 20, newCommits: 10, pageSize: 25 };

export interface HistoryFigures {
  commits: number;
  /** Commits that touched the stack folder: each is one read of the chart. */
  stackCommits: number;
  setupMs: number;
  /** The first read, as the refresher does it: updates of at most DEFAULT_HISTORY_MAX_COMMITS commits until complete. */
  firstRead: { updates: number; maxCommitsPerUpdate: number; totalMs: number; updateMs: number[]; entries: number; git: GitCost };
  /** After NEW_COMMITS more upgrades on the branch: one update. */
  incremental: { newCommits: number; ms: number; commitsRead: number; entriesAdded: number; git: GitCost };
  /** readHistoryPage, the page's one database read: the first page and the last one (median of 5 each). */
  page: { firstMs: number; lastMs: number; lastPage: number };
}

/**
 * Release history on a long environment branch (local git): the first read, one incremental read, and the page
 * query. The repository is written afresh under `dir`; `db` must be migrated and hold no history for "history-bench".
 */
export async function measureHistory(dir: string, db: PrismaClient): Promise<HistoryFigures> {
  const repoDir = path.join(dir, "stack");
  const started = performance.now();
  const { touching, patches } = await writeHistoryBranch(repoDir, HISTORY_SIZE);
  const setupMs = performance.now() - started;
  log(`history: wrote a ${HISTORY_SIZE.commits}-commit branch (${touching} touch the stack) in ${ms(setupMs)}`);

  const counted = countGitCalls(createLocalGitProvider({ baseDir: dir, cacheDir: path.join(dir, "cache") }));
  const deps = { db, git: counted.git };
  const env = environmentConfigSchema.parse({ name: "history-bench", repo: "stack", branch: "main", path: "stack" });
  await db.historyEntry.deleteMany({ where: { environment: env.name } });
  await db.historyCursor.deleteMany({ where: { environment: env.name } });

  const updateMs: number[] = [];
  let complete = false;
  const firstStarted = performance.now();
  while (!complete && updateMs.length < 100) {
    const head = await deps.git.branchHead(env.repo, env.branch);
    const t = performance.now();
    complete = (await updateEnvironmentHistory(deps, env, head.sha)).complete;
    updateMs.push(performance.now() - t);
  }
  const totalMs = performance.now() - firstStarted;
  const firstGit = counted.take();
  const entries = await db.historyEntry.count({ where: { environment: env.name } });
  log(
    `history first read: ${updateMs.length} updates of at most ${DEFAULT_HISTORY_MAX_COMMITS} commits, ${ms(totalMs)} in all ` +
      `(slowest update ${ms(Math.max(...updateMs))}), ${entries} entries · git ${describeCalls(firstGit)}`,
  );

  for (let i = 0; i < HISTORY_SIZE.newCommits; i++) await commitUpgrade(repoDir, patches, i % HISTORY_SIZE.services);
  const head = await deps.git.branchHead(env.repo, env.branch);
  counted.take();
  const t = performance.now();
  const incremental = await updateEnvironmentHistory(deps, env, head.sha);
  const incrementalMs = performance.now() - t;
  const incrementalGit = counted.take();
  log(
    `history incremental read after ${HISTORY_SIZE.newCommits} new commits: ${ms(incrementalMs)}, ` +
      `${incremental.commitsRead} commits read, ${incremental.entriesAdded} entries added · git ${describeCalls(incrementalGit)}`,
  );

  const lastPage = Math.ceil((entries + incremental.entriesAdded) / HISTORY_SIZE.pageSize);
  const pageMs = async (page: number) => {
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = performance.now();
      await readHistoryPage(env, { page, pageSize: HISTORY_SIZE.pageSize }, { db });
      if (i > 0) times.push(performance.now() - s);
    }
    return round(median(times));
  };
  const page = { firstMs: await pageMs(1), lastMs: await pageMs(lastPage), lastPage };
  log(`history page query (median of 5): page 1 ${ms(page.firstMs)}, page ${lastPage} ${ms(page.lastMs)}`);

  return {
    commits: HISTORY_SIZE.commits,
    stackCommits: touching,
    setupMs: round(setupMs),
    firstRead: {
      updates: updateMs.length,
      maxCommitsPerUpdate: DEFAULT_HISTORY_MAX_COMMITS,
      totalMs: round(totalMs),
      updateMs: updateMs.map((v) => round(v)),
      entries,
      git: { calls: firstGit.calls, busyMs: round(firstGit.busyMs) },
    },
    incremental: {
      newCommits: HISTORY_SIZE.newCommits,
      ms: round(incrementalMs),
      commitsRead: incremental.commitsRead,
      entriesAdded: incremental.entriesAdded,
      git: { calls: incrementalGit.calls, busyMs: round(incrementalGit.busyMs) },
    },
    page,
  };
}

function describeCalls(cost: GitCost): string {
  return Object.entries(cost.calls).map(([name, n]) => `${name} ${n}`).join(", ") || "no calls";
}
