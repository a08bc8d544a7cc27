"use client";

import { useSyncExternalStore } from "react";

/**
 * Times in the viewer's own locale and time zone. The server knows neither, so a time renders first as UTC text
 * (the same on the server and in the browser's hydrating render: no mismatch), and in the browser's locale and zone
 * just after. `locale` and `timeZone` are for tests; the app leaves them to the browser (undefined).
 */
export interface TimeFormatOptions {
  locale?: string;
  timeZone?: string;
}

/** How much of a time to show: date and time, the date alone, or the time of day alone. */
export type TimePrecision = "minute" | "day" | "time";

/** "2026-03-01 10:00 UTC": what the server, and the browser before hydration ends, show. */
export function utcText(iso: string, precision: TimePrecision = "minute"): string {
  if (precision === "day") return iso.slice(0, 10);
  if (precision === "time") return `${iso.slice(11, 16)} UTC`;
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** "Mar 1, 2026, 5:00 AM" in en-US and New York; "1 mars 2026, 11:00" in fr-FR and Paris. */
export function localText(iso: string, precision: TimePrecision = "minute", { locale, timeZone }: TimeFormatOptions = {}): string {
  if (Number.isNaN(Date.parse(iso))) return iso;
  const format = new Intl.DateTimeFormat(locale, {
    ...(precision === "time" ? {} : { dateStyle: "medium" }),
    ...(precision === "day" ? {} : { timeStyle: "short" }),
    timeZone,
  });
  return format.format(new Date(iso));
}

/** The absolute time on hover, to the second and with the zone's name: "Sunday, March 1, 2026 at 5:00:00 AM EST". */
export function absoluteTitle(iso: string, { locale, timeZone }: TimeFormatOptions = {}): string {
  if (Number.isNaN(Date.parse(iso))) return iso;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "long", timeZone });
  return format.format(new Date(iso));
}

const subscribeNever = () => () => {};

/**
 * False while the server renders and while the browser hydrates that render, true from then on: what may differ
 * between the server and the browser (locale, time zone, the clock) renders only once it is true.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

/** An absolute time (or the date, or the time of day), in the viewer's locale and zone, the full time on hover. */
export function LocalTime({ iso, precision = "minute" }: { iso: string; precision?: TimePrecision }) {
  const hydrated = useHydrated();
  if (!hydrated) {
    return (
      <time dateTime={iso} title={new Date(iso).toUTCString()}>
        {utcText(iso, precision)}
      </time>
    );
  }
  return (
    <time dateTime={iso} title={absoluteTitle(iso)}>
      {localText(iso, precision)}
    </time>
  );
}
