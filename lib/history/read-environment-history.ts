import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { allowedActions } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { type HistoryPage, readHistoryPage } from "./read-history-page";

export const HISTORY_PAGE_SIZE = 25;

export interface EnvironmentHistory extends HistoryPage {
  environment: { name: string; branch: string; repo: string };
  /** The viewer may raise release requests here, so each older entry offers "Roll back to here". */
  canRollBack: boolean;
}

/** The history page's data; the caller has authorized "environment.view" on `name` (lib/auth/authorize). */
export async function readEnvironmentHistory(viewer: Viewer, name: string, page: number): Promise<EnvironmentHistory> {
  const env = viewer.environments.find((e) => e.name === name);
  if (!env) throw new NotFoundError(`There is no environment named "${name}".`);
  const history = await readHistoryPage(env, { page, pageSize: HISTORY_PAGE_SIZE });
  return {
    ...history,
    environment: { name: env.name, branch: env.branch, repo: env.repo },
    canRollBack: allowedActions(viewer.principal, viewer.access, env).includes("request"),
  };
}
