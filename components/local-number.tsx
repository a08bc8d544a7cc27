"use client";

import { useHydrated } from "./local-time";

/**
 * A count in the viewer's locale ("4,987", "4.987", "4 987"). The server does not know the locale: it, and the
 * browser's hydrating render, write it as en-US does; the browser's own form follows.
 */
export function LocalNumber({ value }: { value: number }) {
  const hydrated = useHydrated();
  return <>{hydrated ? value.toLocaleString() : value.toLocaleString("en-US")}</>;
}
