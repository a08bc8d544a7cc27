import { describe, expect, it } from "vitest";
import { THEME_COOKIE, isDarkTheme, parseThemeChoice, themeAttribute, themeCookie } from "@/components/theme-choice";

/** The theme cookie comes from the browser: anything may be in it, and only the three choices mean something. */
describe("the theme choice", () => {
  it("reads the three choices as they are", () => {
    expect(parseThemeChoice("system")).toBe("system");
    expect(parseThemeChoice("light")).toBe("light");
    expect(parseThemeChoice("dark")).toBe("dark");
  });

  it("reads anything else as system", () => {
    for (const forged of [undefined, null, "", "Dark", " dark", "dark ", "light;dark", "\"><script>alert(1)</script>", "__proto__", "dark\u0000"]) {
      expect(parseThemeChoice(forged), JSON.stringify(forged)).toBe("system");
    }
  });

  it("pins <html data-theme> only for light and dark", () => {
    expect(themeAttribute("system")).toBeUndefined();
    expect(themeAttribute("light")).toBe("light");
    expect(themeAttribute("dark")).toBe("dark");
  });

  it("is dark when chosen, or when the system is and the choice follows it", () => {
    expect(isDarkTheme("dark", false)).toBe(true);
    expect(isDarkTheme("light", true)).toBe(false);
    expect(isDarkTheme("system", true)).toBe(true);
    expect(isDarkTheme("system", false)).toBe(false);
  });

  it("remembers a choice for a year, site-wide, Lax; forgets it for system", () => {
    expect(themeCookie("dark", { secure: false })).toBe(`${THEME_COOKIE}=dark; Path=/; Max-Age=31536000; SameSite=Lax`);
    expect(themeCookie("light", { secure: true })).toBe(`${THEME_COOKIE}=light; Path=/; Max-Age=31536000; SameSite=Lax; Secure`);
    expect(themeCookie("system", { secure: false })).toBe(`${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`);
  });
});
