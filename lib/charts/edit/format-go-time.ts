/**
 * A time as Go's time.RFC3339Nano prints it — the form of `generated:` in the lock files Helm writes (Helm marshals
 * time.Now()). Go trims trailing zeros of the fraction and drops it when it is zero; we write UTC, which Helm reads
 * back the same as its local-time offset.
 */
export function formatGoTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("formatGoTime: invalid date");
  const iso = date.toISOString(); // 2026-10-01T12:00:00.120Z
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
}
