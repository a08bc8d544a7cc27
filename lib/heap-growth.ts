import v8 from "node:v8";

/**
 * Sets V8's heap growing factor for this process: after a full collection the heap may grow `percent` past what
 * survived before the next one, where Node's own rule lets a busy process grow it up to fourfold. Slipway's processes
 * allocate fast and keep little (a refresh parses a 20 MB index and keeps 4 MB of it), so Node's rule lets garbage take
 * hundreds of MB; a fixed factor costs a little more collecting instead (README "Benchmarks" has the figures).
 *
 * Node refuses the flag in NODE_OPTIONS, and V8 reads it at every collection, so it is set here, first thing in the
 * server (instrumentation.ts) and the CLI. 0 leaves Node's rule. SLIPWAY_HEAP_GROWTH_PERCENT sets it
 * (lib/config/environment.ts).
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
