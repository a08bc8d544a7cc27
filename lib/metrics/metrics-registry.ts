import "server-only";
import { Registry, collectDefaultMetrics, type Metric } from "prom-client";

/**
 * Slipway's own prom-client registry, not the library's global default (which any dependency may write to).
 *
 * Kept on globalThis: Next bundles the instrumentation hook (where the refresher and the job runner count their
 * registry requests) and each route handler with their own copy of this module, and /metrics must see the counts of
 * all of them, in one registry.
 */
const holder = globalThis as typeof globalThis & { slipwayMetricsRegistry?: Registry; slipwayProcessMetrics?: boolean };

export const METRIC_PREFIX = "slipway_";

export function metricsRegistry(): Registry {
  holder.slipwayMetricsRegistry ??= new Registry();
  return holder.slipwayMetricsRegistry;
}

/**
 * The metric registered under `name`, created by `create` the first time: each module declares its metrics where it
 * uses them, and a second bundle's copy of that module finds the first one's instead of registering a duplicate.
 */
export function sharedMetric<T extends Metric>(name: string, create: (registry: Registry) => T): T {
  const registry = metricsRegistry();
  return (registry.getSingleMetric(name) as T | undefined) ?? create(registry);
}

/**
 * Node's process metrics (CPU, memory, event-loop lag, GC), prefixed. Only for a process that is scraped: a CLI command
 * that happens to count a registry request has no use for an event-loop monitor.
 */
export function registerProcessMetrics(): void {
  if (holder.slipwayProcessMetrics) return;
  holder.slipwayProcessMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry(), prefix: METRIC_PREFIX });
}
