/**
 * Run by heap-growth.test.ts in a process of its own: applies SLIPWAY_HEAP_GROWTH_PERCENT as the server and CLI do,
 * then does to the heap what a refresh does (each read builds a structure that lives across a few others, then goes)
 * and prints the largest heap V8 kept.
 */
import { readEnvironment } from "@/lib/config/environment";
import { applyHeapGrowth } from "@/lib/heap-growth";

applyHeapGrowth(readEnvironment().heapGrowthPercent);
const live: unknown[] = [];
let peak = 0;
for (let round = 0; round < 400; round++) {
  live.push(Array.from({ length: 20_000 }, (_, j) => ({ name: `chart-${j}`, version: `1.${round}.${j}` })));
  if (live.length > 8) live.shift();
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
process.stdout.write(String(peak));
