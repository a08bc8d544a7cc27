import { type Page, expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

/**
 * Every Content-Security-Policy violation the page reports (the browser's own `securitypolicyviolation` event, with
 * the sample 'report-sample' asks for), but one: @rc-component/util measures scrollbars with a <style> it cannot give
 * a nonce, expects a CSP to refuse it and falls back (its rule is empty unless a page styles its scrollbars).
 */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (text: string) => {
    if (!/^\s*#rc-scrollbar-measure-/.test(text.split(" | ")[1] ?? "")) violations.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(
        `${event.violatedDirective} at ${event.sourceFile}:${event.lineNumber} | ${event.sample}`,
      );
    });
  });
  return violations;
}

test.describe("security headers", () => {
  test("pages carry a nonce-based Content-Security-Policy and a Permissions-Policy, and run without violating it or an error", async ({ page }) => {
    const violations = await watchViolations(page);
    // Nor anything else the browser reports as an error (a missing favicon was one: a 404 on every page).
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });

    const signInPage = await page.goto("/sign-in");
    const policy = signInPage!.headers()["content-security-policy"] ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(signInPage!.headers()["permissions-policy"]).toContain("camera=()");
    // antd's styles got through: the primary button has the theme's colour, not the browser's grey.
    await expect(page.getByRole("button", { name: /Sign in$/ })).toHaveCSS("background-color", "rgb(29, 111, 184)");

    await signIn(page, "dana", "/");
    await expect(page.getByRole("grid", { name: "Service versions by environment" })).toBeVisible();

    const environment = await page.goto("/environments/shop-production");
    await expect(page.getByRole("heading", { name: "shop-production" })).toBeVisible();
    const nonce = (header: string) => /'nonce-([^']+)'/.exec(header)?.[1];
    expect(nonce(environment!.headers()["content-security-policy"] ?? "")).toBeTruthy();
    expect(nonce(environment!.headers()["content-security-policy"] ?? "")).not.toBe(nonce(policy));

    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
