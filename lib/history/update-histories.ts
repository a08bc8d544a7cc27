import pLimit from "p-limit";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { logger } from "@/lib/logger";
import { type HistoryDeps, type HistoryUpdateOptions, updateEnvironmentHistory } from "./update-environment-history";

export interface HistoryRefreshOptions extends Omit<HistoryUpdateOptions, "deadline"> {
  /**
   * Time one refresh spends reading history further back, shared by all its environments. New commits at the heads
   * are read regardless; reading back stops here and continues at the next refresh.
   */
  timeBudgetMs?: number;
}

export const DEFAULT_HISTORY_TIME_BUDGET_MS = 20_000;

/** Reading a stack is parsing YAML: CPU work, so two at a time keep a small machine responsive. */
const CONCURRENCY = 2;

/**
 * Brings the release history of each environment a refresh read up to the head it saw. Failures are logged and never
 * fail the refresh: the snapshots are saved already, and the next refresh tries again.
 */
export async function updateHistories(
  deps: HistoryDeps,
  heads: { env: EnvironmentConfig; headSha: string }[],
  options: HistoryRefreshOptions = {},
): Promise<{ commitsRead: number; failed: number }> {
  const deadline = Date.now() + (options.timeBudgetMs ?? DEFAULT_HISTORY_TIME_BUDGET_MS);
  const limit = pLimit(CONCURRENCY);
  let commitsRead = 0;
  let failed = 0;
  await Promise.all(
    heads.map(({ env, headSha }) =>
      limit(async () => {
        try {
          const result = await updateEnvironmentHistory(deps, env, headSha, { ...options, deadline });
          commitsRead += result.commitsRead;
          if (result.restarted && result.restarted !== "first read") {
            logger.info({ environment: env.name, reason: result.restarted }, "release history read again from the branch head");
          }
        } catch (error) {
          failed++;
          logger.warn({ err: error, environment: env.name }, "release history not updated");
        }
      }),
    ),
  );
  return { commitsRead, failed };
}

/**
 * Drops the stored history of environments slipway.yaml no longer lists: a page cannot show them, and a name used again
 * later must start from its own branch, not an old one's. Returns how many environments' histories went.
 */
export async function pruneHistories(db: HistoryDeps["db"], environments: readonly string[]): Promise<number> {
  const gone = await db.historyCursor.findMany({ where: { environment: { notIn: [...environments] } }, select: { environment: true } });
  if (gone.length === 0) return 0;
  const names = gone.map((row) => row.environment);
  await db.$transaction([
    db.historyEntry.deleteMany({ where: { environment: { in: names } } }),
    db.historyCursor.deleteMany({ where: { environment: { in: names } } }),
  ]);
  logger.info({ environments: names }, "release history of environments no longer configured removed");
  return names.length;
}
