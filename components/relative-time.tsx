"use client";

import { useEffect, useState } from "react";
import { absoluteTitle, useHydrated } from "./local-time";

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** "3 minutes ago" in the locale given (the browser's when undefined). */
export function describeRelative(iso: string, now: number, locale?: string): string {
  const delta = new Date(iso).getTime() - now;
  if (Number.isNaN(delta)) return iso;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, ms] of units) {
    if (Math.abs(delta) >= ms || unit === "second") return format.format(Math.round(delta / ms), unit);
  }
  return iso;
}

/**
 * "3 minutes ago", with the absolute time on hover; re-renders every half minute. The server and the hydrating render
 * say it in English with the time in UTC on hover (their clocks differ by the page's flight: the text may too, hence
 * suppressHydrationWarning); then in the browser's locale, with the time in the viewer's zone.
 */
export function RelativeTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={hydrated ? absoluteTitle(iso) : new Date(iso).toUTCString()} suppressHydrationWarning>
      {describeRelative(iso, now, hydrated ? undefined : "en")}
    </time>
  );
}
