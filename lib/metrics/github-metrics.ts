import "server-only";
import { Counter, Gauge } from "prom-client";
import { readGithubRateLimits, readGithubRequestCounts } from "@/lib/git/github/github-usage";
import { sharedMetric } from "./metrics-registry";

/**
 * GitHub's figures, read at scrape time from what lib/git/github/github-usage.ts recorded. The request count is a
 * counter whose value is copied from there on each scrape: the source only ever grows, so rate() works as on any
 * counter, and a restart resets both together.
 */
export function registerGithubMetrics(): void {
  sharedMetric(
    "slipway_github_requests_total",
    (registry) =>
      new Counter({
        name: "slipway_github_requests_total",
        help: "Requests sent to the GitHub API since the process started, by kind (rest, graphql) and outcome.",
        labelNames: ["kind", "outcome"] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const { kind, outcome, count } of readGithubRequestCounts()) this.inc({ kind, outcome }, count);
        },
      }),
  );
  const rateLimitGauge = (name: string, help: string, value: (limit: ReturnType<typeof readGithubRateLimits>[number]) => number) =>
    sharedMetric(
      name,
      (registry) =>
        new Gauge({
          name,
          help,
          labelNames: ["resource"] as const,
          registers: [registry],
          collect() {
            this.reset();
            for (const limit of readGithubRateLimits()) this.set({ resource: limit.resource }, value(limit));
          },
        }),
    );
  rateLimitGauge(
    "slipway_github_rate_limit_remaining",
    "Requests left in GitHub's current rate-limit window, per resource (core, graphql, search…), as last reported.",
    // A window that has ended is full again, whether or not a request has told us since.
    (limit) => (Date.now() >= limit.resetAt.getTime() ? limit.limit : limit.remaining),
  );
  rateLimitGauge("slipway_github_rate_limit_limit", "Requests GitHub allows per rate-limit window, per resource.", (limit) => limit.limit);
  rateLimitGauge(
    "slipway_github_rate_limit_reset_timestamp_seconds",
    "When GitHub's current rate-limit window ends (Unix time), per resource.",
    (limit) => limit.resetAt.getTime() / 1000,
  );
}
