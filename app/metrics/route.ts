import { readEnvironment } from "@/lib/config/environment";
import { serveMetrics } from "@/lib/metrics/serve-metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Prometheus scrape endpoint, behind SLIPWAY_METRICS_TOKEN: see lib/metrics/serve-metrics.ts and README "Metrics". */
export async function GET(request: Request) {
  return serveMetrics(request, readEnvironment().metricsToken);
}
