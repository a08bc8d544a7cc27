import { type Locator, type Page, expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

/**
 * Dark mode and the viewer's own time: the page follows the system's light or dark setting, the user menu's Theme
 * switch overrides it for this browser (a cookie, so the server renders the choice from the first byte), and times
 * show in the viewer's zone with the absolute time on hover.
 */

const THEME_COOKIE = "slipway-theme";

/** "rgb(20, 20, 20)" or "rgba(0, 0, 0, 0.88)" → [r, g, b, a] */
function parseColor(color: string): number[] {
  const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, a];
}

function luminance([r, g, b]: number[]): number {
  const [lr, lg, lb] = [r!, g!, b!].map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
}

/** WCAG contrast of an element's text on its own background (text alpha blended onto it). */
async function textContrast(element: Locator): Promise<number> {
  const { color, background } = await element.evaluate((el) => ({
    color: getComputedStyle(el).color,
    background: getComputedStyle(el).backgroundColor,
  }));
  const bg = parseColor(background);
  const [r, g, b, a] = parseColor(color);
  const fg = [r!, g!, b!].map((c, i) => c * a! + bg[i]! * (1 - a!));
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function bodyLuminance(page: Page): Promise<number> {
  return luminance(parseColor(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)));
}

/** antd's own colours (its algorithm's CSS variables), seen on the user menu's Sign out button. */
async function antdButtonLuminance(page: Page): Promise<number> {
  const button = page.getByRole("button", { name: "Sign out" });
  return luminance(parseColor(await button.evaluate((el) => getComputedStyle(el).backgroundColor)));
}

async function expectDark(page: Page): Promise<void> {
  await expect.poll(() => bodyLuminance(page)).toBeLessThan(0.05);
  await expect.poll(() => antdButtonLuminance(page)).toBeLessThan(0.05);
}

async function expectLight(page: Page): Promise<void> {
  await expect.poll(() => bodyLuminance(page)).toBeGreaterThan(0.8);
  await expect.poll(() => antdButtonLuminance(page)).toBeGreaterThan(0.8);
}

function themeSwitch(page: Page): Locator {
  return page.getByRole("radiogroup", { name: "Theme" });
}

/** Picks a theme as a person does: by clicking its button (antd's radio input itself is hidden under it). */
async function chooseTheme(page: Page, name: "System" | "Light" | "Dark"): Promise<void> {
  await themeSwitch(page).getByText(name, { exact: true }).click();
  await expect(themeSwitch(page).getByRole("radio", { name })).toBeChecked();
}

/** The <html data-theme> the server sent, read from the page's HTML as it arrived (before any script ran). */
async function servedThemeAttribute(page: Page): Promise<string | undefined> {
  const html = await (await page.request.get("/")).text();
  return html.match(/<html[^>]*\sdata-theme="([^"]*)"/)?.[1];
}

/** The overview's badge of a service in an environment, found through the grid's own headers. */
async function matrixBadge(page: Page, service: string, environment: string): Promise<Locator> {
  const matrix = page.getByRole("grid", { name: "Service versions by environment" });
  const columns = await matrix.getByRole("columnheader").evaluateAll((headers) => headers.map((h) => h.querySelector("a")?.textContent ?? h.textContent ?? ""));
  const row = matrix.getByRole("row").filter({ has: page.getByRole("rowheader", { name: service, exact: true }) });
  return row.getByRole("gridcell").nth(columns.indexOf(environment) - 1).locator("b");
}

test.describe("with the system set to dark", () => {
  test.use({ colorScheme: "dark" });
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  test("the page is dark, and every badge keeps its text at 4.5:1", async ({ page }) => {
    await page.goto("/");
    await expect(themeSwitch(page).getByRole("radio", { name: "System" })).toBeChecked();
    await expectDark(page);
    for (const [service, environment] of [
      ["orders", "shop-production"],
      ["orders", "shop-dev"],
    ] as const) {
      const badge = await matrixBadge(page, service, environment);
      expect(await textContrast(badge), `${service} in ${environment}`).toBeGreaterThanOrEqual(4.5);
    }

    // The environment page's badges: the matrix's tones, with the shape and the words.
    await page.goto("/environments/shop-production");
    const row = page.getByRole("row").filter({ has: page.getByText("orders", { exact: true }) });
    const badge = row.getByText(/behind/).first();
    await expect(badge).toBeVisible();
    expect(await textContrast(badge)).toBeGreaterThanOrEqual(4.5);
    expect(await badge.evaluate((el) => getComputedStyle(el, "::before").content)).toMatch(/!|✖|▼|▽/);
  });

  test("choosing Light applies at once and survives a reload", async ({ page, context }) => {
    await page.goto("/");
    await expectDark(page);
    await chooseTheme(page, "Light");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    await expectLight(page);
    expect((await context.cookies()).find((c) => c.name === THEME_COOKIE)).toMatchObject({ value: "light", path: "/", sameSite: "Lax" });

    expect(await servedThemeAttribute(page)).toBe("light");
    await page.reload();
    await expect(themeSwitch(page).getByRole("radio", { name: "Light" })).toBeChecked();
    await expectLight(page);

    // Back to following the system: dark again, and the cookie is gone.
    await chooseTheme(page, "System");
    await expect(page.locator("html")).not.toHaveAttribute("data-theme");
    await expectDark(page);
    expect((await context.cookies()).find((c) => c.name === THEME_COOKIE)).toBeUndefined();
  });

  test("a forged theme cookie falls back to the system's setting", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: THEME_COOKIE, value: "purple%22%3E%3Cscript%3E", url: baseURL! }]);
    expect(await servedThemeAttribute(page)).toBeUndefined();
    await page.goto("/");
    await expect(themeSwitch(page).getByRole("radio", { name: "System" })).toBeChecked();
    await expectDark(page);
  });

  test("the overview, dark (screenshot)", async ({ page }, testInfo) => {
    await page.goto("/");
    await expectDark(page);
    await page.screenshot({ path: testInfo.outputPath("overview-dark.png") });
    await page.goto("/environments/shop-production");
    await expectDark(page);
    await page.screenshot({ path: testInfo.outputPath("environment-dark.png") });
  });
});

test.describe("with the system set to light", () => {
  test.use({ colorScheme: "light" });
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  test("choosing Dark applies at once and survives a reload", async ({ page, context }) => {
    await page.goto("/");
    await expectLight(page);
    await chooseTheme(page, "Dark");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expectDark(page);
    expect((await context.cookies()).find((c) => c.name === THEME_COOKIE)?.value).toBe("dark");

    expect(await servedThemeAttribute(page)).toBe("dark");
    await page.reload();
    await expect(themeSwitch(page).getByRole("radio", { name: "Dark" })).toBeChecked();
    await expectDark(page);
    const badge = await matrixBadge(page, "orders", "shop-production");
    expect(await textContrast(badge)).toBeGreaterThanOrEqual(4.5);
  });

  test("the overview, light (screenshot)", async ({ page }, testInfo) => {
    await page.goto("/");
    await expectLight(page);
    const badge = await matrixBadge(page, "orders", "shop-production");
    expect(await textContrast(badge)).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: testInfo.outputPath("overview-light.png") });
  });
});

test.describe("in New York", () => {
  test.use({ timezoneId: "America/New_York", locale: "en-US" });
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  const inNewYork = (iso: string, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat("en-US", { ...options, timeZone: "America/New_York" }).format(new Date(iso));

  test("times show in the viewer's zone, the absolute time on hover", async ({ page }) => {
    // The overview's last refresh: relative, with the absolute time in New York on hover.
    await page.goto("/");
    const refreshed = page.getByText(/^Last refresh/).locator("time");
    const iso = (await refreshed.getAttribute("datetime"))!;
    await expect(refreshed).toHaveAttribute("title", inNewYork(iso, { dateStyle: "full", timeStyle: "long" }));
    await expect(refreshed).toHaveAttribute("title", /E[SD]T$/);

    // The history's absolute times: in New York, in the browser's locale.
    await page.goto("/environments/payments-eu/history");
    const when = page.getByRole("row").nth(1).locator("time").first();
    const commitIso = (await when.getAttribute("datetime"))!;
    await expect(when).toHaveText(inNewYork(commitIso, { dateStyle: "medium", timeStyle: "short" }));
    await expect(when).toHaveAttribute("title", inNewYork(commitIso, { dateStyle: "full", timeStyle: "long" }));
  });
});
