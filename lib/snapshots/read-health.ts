import "server-only";
import { getDb } from "@/lib/db";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { isRefreshing } from "./refresher";

export interface Health {
  database: "ok" | "unavailable";
  refreshing: boolean;
  lastRefreshFinishedAt: string | null;
}

export async function readHealth(): Promise<Health> {
  try {
    const last = await getDb().refreshRun.findFirst({ where: { finishedAt: { not: null } }, orderBy: { id: "desc" } });
    return { database: "ok", refreshing: isRefreshing(), lastRefreshFinishedAt: last?.finishedAt?.toISOString() ?? null };
  } catch (error) {
    logger.error({ error: errorMessage(error) }, "health check: database unavailable");
    return { database: "unavailable", refreshing: isRefreshing(), lastRefreshFinishedAt: null };
  }
}
