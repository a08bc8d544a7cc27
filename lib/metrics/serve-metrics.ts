import "server-only";
import { checkMetricsToken } from "./check-metrics-token";
import { registerDatabaseMetrics } from "./database-metrics";
import { registerGithubMetrics } from "./github-metrics";
import { metricsRegistry, registerProcessMetrics } from "./metrics-registry";
import { registryRequestsCounter } from "./registry-request-metrics";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Answers a Prometheus scrape of /metrics. Off (404) unless SLIPWAY_METRICS_TOKEN is set, because /metrics shares its
 * port with the dashboard: a NetworkPolicy cannot let Prometheus reach one and not the other, so the token is what
 * keeps the figures (environment names, registry names, job kinds) to the scraper.
 */
export async function serveMetrics(request: Request, token: string | undefined): Promise<Response> {
  if (!token) {
    return new Response("Metrics are off. Set SLIPWAY_METRICS_TOKEN (16 characters or more) and scrape /metrics with Authorization: Bearer <token>.\n", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", ...NO_STORE },
    });
  }
  if (!checkMetricsToken(request.headers.get("authorization"), token)) {
    return new Response("A bearer token is required: Authorization: Bearer <SLIPWAY_METRICS_TOKEN>.\n", {
      status: 401,
      headers: { "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="slipway-metrics"', ...NO_STORE },
    });
  }
  const registry = metricsRegistry();
  registerAllMetrics();
  return new Response(await registry.metrics(), { status: 200, headers: { "Content-Type": registry.contentType, ...NO_STORE } });
}

/** Idempotent: each metric is created once per process (see sharedMetric). */
function registerAllMetrics(): void {
  registerProcessMetrics();
  registryRequestsCounter();
  registerGithubMetrics();
  registerDatabaseMetrics();
}
