/** Small helpers for turning samples into the figures the benchmark reports. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile: with 10 samples p90 is the 9th slowest, not an interpolation between two. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const mb = (bytes: number): number => round(bytes / 1_048_576, 1);

export const ms = (value: number): string => `${round(value, value < 10 ? 2 : 0)} ms`;

export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${bytes} B`;
}

export function log(message: string): void {
  process.stdout.write(`bench: ${message}\n`);
}

export function warn(message: string): void {
  process.stdout.write(`bench: WARN ${message}\n`);
}
