"use client";

import { useEffect, useState } from "react";

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];
const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function describeRelative(iso: string, now: number): string {
  const delta = new Date(iso).getTime() - now;
  for (const [unit, ms] of units) {
    if (Math.abs(delta) >= ms || unit === "second") return format.format(Math.round(delta / ms), unit);
  }
  return iso;
}

/** "3 minutes ago", with the exact time on hover; re-renders every half minute. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={new Date(iso).toUTCString()} suppressHydrationWarning>
      {describeRelative(iso, now)}
    </time>
  );
}
