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

/** What Slipway's own child processes call themselves (process.title), and how the benchmark names them. */
const CHILD_NAMES: Record<string, string> = {
  "slipway-database": "database process",
  "slipway-git-launcher": "git launcher",
};

/**
 * The peaks of `pid`'s descendants alive now, by what they are: the embedded database's process, git's launcher (git
 * processes themselves come and go within milliseconds). Others are named by their program.
 */
export function childProcessPeaks(pid: number): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const child of listDescendants(pid)) {
    const name = processName(child);
    peaks[name] = (peaks[name] ?? 0) + (readPeakRss(child) ?? 0);
  }
  return peaks;
}

/** "database process 160 MB, git launcher 57 MB", or "none". */
export function describeChildPeaks(peaks: Record<string, number>): string {
  const parts = Object.entries(peaks).map(([name, bytes]) => `${name} ${Math.round(bytes / 1024 / 1024)} MB`);
  return parts.join(", ") || "none";
}

function processName(pid: number): string {
  try {
    const program = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]!.trim();
    return CHILD_NAMES[program] ?? program.split("/").pop() ?? "?";
  } catch {
    return "?";
  }
}

/** Every process below `pid` (children, grandchildren…), from /proc: a server may fork workers. */
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
