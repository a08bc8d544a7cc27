"use client";

import { createContext, useCallback, useContext, useMemo, useState, useSyncExternalStore } from "react";
import { type ThemeChoice, isDarkTheme, themeAttribute, themeCookie } from "./theme-choice";

const darkQuery = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(darkQuery);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

/**
 * The operating system's light/dark setting, live. The server cannot know it and renders light; with a choice of
 * "system" antd's variables turn dark just after hydration (Slipway's own stylesheets follow the media query at once).
 */
function usePrefersDark(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(darkQuery).matches,
    () => false,
  );
}

export interface ThemeState {
  choice: ThemeChoice;
  /** The effective theme: what antd's algorithm and the page's colours follow. */
  dark: boolean;
  choose: (choice: ThemeChoice) => void;
}

const ThemeContext = createContext<ThemeState>({ choice: "system", dark: false, choose: () => {} });

export const ThemeProvider = ThemeContext.Provider;

/** The theme as the user menu shows and changes it. */
export function useTheme(): ThemeState {
  return useContext(ThemeContext);
}

/**
 * The theme state of the page, starting from the choice the server read from the cookie. Choosing applies at once: the
 * <html data-theme> the stylesheets follow (light-dark() with the color-scheme it sets), antd's algorithm through
 * React, and the cookie that makes the next page render that way from its first byte.
 */
export function useThemeState(initialChoice: ThemeChoice): ThemeState {
  const [choice, setChoice] = useState(initialChoice);
  const prefersDark = usePrefersDark();
  const choose = useCallback((next: ThemeChoice) => {
    setChoice(next);
    document.cookie = themeCookie(next, { secure: window.location.protocol === "https:" });
    const attribute = themeAttribute(next);
    if (attribute) document.documentElement.dataset.theme = attribute;
    else delete document.documentElement.dataset.theme;
  }, []);
  const dark = isDarkTheme(choice, prefersDark);
  return useMemo(() => ({ choice, dark, choose }), [choice, dark, choose]);
}
