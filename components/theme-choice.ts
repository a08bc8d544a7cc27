/**
 * The theme a browser chose in the user menu: follow the system setting, or always light, or always dark. It lives in
 * a cookie, not in localStorage, so that the server renders the chosen theme from the first byte (app/layout.tsx puts
 * it on <html data-theme>) and a dark page never flashes light on load. Shared by the server layout and the client.
 */
export type ThemeChoice = "system" | "light" | "dark";

export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];

export const THEME_COOKIE = "slipway-theme";

/** A year: the choice belongs to the browser, not to a session. */
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The cookie's value as a choice. Anyone can send any cookie: whatever is not exactly one of the three is "system". */
export function parseThemeChoice(value: string | undefined | null): ThemeChoice {
  return value === "light" || value === "dark" || value === "system" ? value : "system";
}

/** The <html data-theme> of a choice: none for "system", so that the stylesheets follow prefers-color-scheme. */
export function themeAttribute(choice: ThemeChoice): "light" | "dark" | undefined {
  return choice === "system" ? undefined : choice;
}

/** Whether the page is dark: the choice, or for "system" the operating system's setting. */
export function isDarkTheme(choice: ThemeChoice, systemPrefersDark: boolean): boolean {
  return choice === "dark" || (choice === "system" && systemPrefersDark);
}

/**
 * The `document.cookie` assignment that remembers a choice for a year ("system" forgets it: no cookie is the same).
 * Lax: it only changes how pages look, and must come along when a link from elsewhere opens Slipway.
 */
export function themeCookie(choice: ThemeChoice, { secure }: { secure: boolean }): string {
  const value = choice === "system" ? "" : choice;
  const maxAge = choice === "system" ? 0 : ONE_YEAR_SECONDS;
  return `${THEME_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure ? "; Secure" : ""}`;
}
