import http from "node:http";
import { getDb } from "@/lib/db";
import { log, median, ms, percentile, round } from "./figures";
import { httpGet } from "./http-get";
import { childProcessPeaks, readPeakRss } from "./memory-sampler";
import type { NextServer } from "./next-app";

export interface LoadFigures {
  startedAt: string;
  path: string;
  viewers: number;
  seconds: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  serverPeakBytes: number;
  /** The peaks of the server's child processes alive at the end, by name: its database process and git launcher. */
  serverChildrenPeakBytes: Record<string, number>;
  /** The server's own refreshes while the viewers were on it: how long each took, how much it read. */
  refreshes: { trigger: string; durationMs?: number; environments: number; skipped: number }[];
}

/**
 * Ten people looking at the overview at once while the server refreshes: each viewer asks for the page again as soon
 * as the last one arrived (a closed loop on its own kept-alive connection, on loopback only), for `seconds`.
 */
export async function measureLoad(server: NextServer, pagePath: string, options: { viewers: number; seconds: number }): Promise<LoadFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.viewers });
  const url = `${server.baseUrl}${pagePath}`;
  const startedAt = new Date();
  const deadline = performance.now() + options.seconds * 1000;
  const times: number[] = [];
  let errors = 0;
  log(`load: ${options.viewers} viewers on ${pagePath} for ${options.seconds} s while the server refreshes (on start, then every 30 s)…`);
  await Promise.all(
    Array.from({ length: options.viewers }, async () => {
      while (performance.now() < deadline) {
        try {
          const result = await httpGet(url, {}, agent);
          if (result.status === 200) times.push(result.totalMs);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - (deadline - options.seconds * 1000)) / 1000;
  agent.destroy();
  const figures: LoadFigures = {
    startedAt: startedAt.toISOString(),
    path: pagePath,
    viewers: options.viewers,
    seconds: round(elapsed),
    requests: times.length,
    errors,
    requestsPerSecond: round(times.length / elapsed),
    p50Ms: round(times.length ? median(times) : 0),
    p90Ms: round(times.length ? percentile(times, 90) : 0),
    p99Ms: round(times.length ? percentile(times, 99) : 0),
    maxMs: round(times.length ? Math.max(...times) : 0),
    serverPeakBytes: readPeakRss(server.pid) ?? 0,
    serverChildrenPeakBytes: childProcessPeaks(server.pid),
    refreshes: [],
  };
  log(
    `load: ${figures.requests} pages in ${figures.seconds} s (${figures.requestsPerSecond}/s), ${errors} errors · ` +
      `p50 ${ms(figures.p50Ms)}, p90 ${ms(figures.p90Ms)}, p99 ${ms(figures.p99Ms)}, max ${ms(figures.maxMs)}`,
  );
  return figures;
}

/** The refresh runs the server made from `since` on, read from the database once the server has let it go. */
export async function readLoadRefreshes(since: string): Promise<LoadFigures["refreshes"]> {
  const runs = await getDb().refreshRun.findMany({ where: { startedAt: { gte: new Date(since) } }, orderBy: { id: "asc" } });
  return runs.map((run) => ({
    trigger: run.trigger,
    ...(run.finishedAt ? { durationMs: run.finishedAt.getTime() - run.startedAt.getTime() } : {}),
    environments: run.environments,
    skipped: run.skipped,
  }));
}
