import { readFileSync, readdirSync } from "node:fs";

/**
 * Peak resident memory of this process, overall and per benchmark phase. Sampling every 50 ms catches what the
 * refresh holds at its height; the kernel's maxRSS (from resourceUsage) catches peaks shorter than that.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private phase = "start";
  private peakBytes = 0;
  private readonly phasePeaks = new Map<string, number>();

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 50);
    // Sampling must never be what keeps the benchmark alive.
    this.timer.unref();
  }

  /** Attributes the following samples to `phase` (the current RSS counts for both the old and the new one). */
  enter(phase: string): void {
    this.sample();
    this.phase = phase;
    this.sample();
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
  }

  /** Highest sampled RSS, and the kernel's high-water mark for the process (both in bytes). */
  peaks(): { sampledBytes: number; maxRssBytes: number; byPhase: Record<string, number> } {
    this.sample();
    return {
      sampledBytes: this.peakBytes,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      byPhase: Object.fromEntries(this.phasePeaks),
    };
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakBytes) this.peakBytes = rss;
    if (rss > (this.phasePeaks.get(this.phase) ?? 0)) this.phasePeaks.set(this.phase, rss);
  }
}

/** The kernel's peak resident set (VmHWM) of a process, in bytes; undefined when it is gone or not Linux. */
export function readPeakRss(pid: number): number | undefined {
  return readStatusKb(pid, "VmHWM");
}

/** A process's resident set now (VmRSS), in bytes. */
export function readRss(pid: number): number | undefined {
  return readStatusKb(pid, "VmRSS");
}

function readStatusKb(pid: number, field: string): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every process below `pid` (children, grandchildren…), from /proc: a server may fork workers. */
/** The summed peaks of `pid`'s descendants alive now (git's launcher; git processes come and go within milliseconds). */
export function childrenPeakRss(pid: number): number {
  return listDescendants(pid).reduce((sum, child) => sum + (readPeakRss(child) ?? 0), 0);
}

export function listDescendants(pid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name (field 2) may contain spaces and parentheses: the parent pid follows the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [...(childrenOf.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...(childrenOf.get(next) ?? []));
  }
  return found;
}
