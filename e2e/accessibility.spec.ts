import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

/**
 * Every page, and every state a person reaches on it (an open drawer, a wizard's second step, an error banner, an
 * empty result), passes axe-core's WCAG 2.0 and 2.1 A/AA rules with no violation at all. The states are reached as the
 * other specs reach them: signed in as the demo user who may see them, through what a person clicks.
 */

const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Scans the page as it is now and fails with each violation's rule, impact and first few elements, in words. */
async function expectNoViolations(page: Page, state: string): Promise<void> {
  // The page at rest: a pointer left over the button just clicked would have axe judge its hover colours instead.
  await page.mouse.move(0, 0);
  // antd fades and slides drawers, alerts and steps in: a half-transparent element has no settled contrast yet.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  if (violations.length > 0) await test.info().attach(`axe violations: ${state}`, { body: JSON.stringify(violations, null, 2), contentType: "application/json" });
  const report = violations.map((violation) => {
    const nodes = violation.nodes.slice(0, 4).map((node) => {
      const why = (node.failureSummary ?? "").split("\n").slice(1, 3).map((line) => line.trim()).join(" ");
      return `    - ${node.target.join(" ")}\n      ${node.html.slice(0, 160)}\n      ${why}`;
    });
    const more = violation.nodes.length > 4 ? [`    … and ${violation.nodes.length - 4} more`] : [];
    return [`  ${violation.id} (${violation.impact}, ${violation.nodes.length} elements): ${violation.help}`, ...nodes, ...more].join("\n");
  });
  // Soft: a test that walks through several states reports each of them, not only the first that fails.
  expect.soft(violations.length, `axe found ${violations.length} rule(s) violated on ${state}:\n${report.join("\n")}`).toBe(0);
}

test.describe("accessibility: signed out", () => {
  test("sign-in", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByLabel("User name")).toBeVisible();
    await expectNoViolations(page, "the sign-in page");
  });

  test("sign-in after a wrong password", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("User name").fill("dana");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: /Sign in$/ }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong user name or password." })).toBeVisible();
    await expectNoViolations(page, "the sign-in page with its error");
  });
});

test.describe("accessibility: a viewer (dana)", () => {
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  test("overview, with its error banners", async ({ page }) => {
    await expect(page.getByRole("grid", { name: "Service versions by environment" })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "sandbox could not be read" })).toBeVisible();
    await expectNoViolations(page, "the overview");
  });

  test("overview filtered to nothing", async ({ page }) => {
    // No payments stack runs search behind: nothing is left.
    await page.goto("/?group=brand%3Apayments&service=search&behind=1");
    await expect(page.getByRole("grid", { name: "Service versions by environment" }).getByRole("rowheader")).toHaveCount(0);
    await expectNoViolations(page, "the overview filtered to nothing");
  });

  test("an environment", async ({ page }) => {
    await page.goto("/environments/shop-production");
    await expect(page.getByRole("table", { name: "Services" })).toBeVisible();
    await expectNoViolations(page, "/environments/shop-production");
  });

  test("an environment that could not be read", async ({ page }) => {
    await page.goto("/environments/sandbox");
    await expect(page.getByRole("alert").filter({ hasText: "This environment could not be read" })).toBeVisible();
    await expectNoViolations(page, "/environments/sandbox");
  });

  test("the release list and a release request", async ({ page }) => {
    await page.goto("/releases");
    const requests = page.getByRole("table", { name: "Release requests" });
    await expect(requests.getByRole("link", { name: /^#\d+$/ }).first()).toBeVisible();
    await expectNoViolations(page, "/releases");

    await requests.getByRole("link", { name: /^#\d+$/ }).first().click();
    await expect(page).toHaveURL(/\/releases\/\d+$/);
    await expect(page.getByRole("heading", { level: 2 })).toBeVisible();
    await expectNoViolations(page, page.url());
  });

  test("the release list filtered to nothing", async ({ page }) => {
    await page.goto("/releases?environment=sandbox&state=deferred");
    await expect(page.getByText("No release requests yet.")).toBeVisible();
    await expectNoViolations(page, "/releases filtered to nothing");
  });

  test("where is it running?", async ({ page }) => {
    await page.goto("/where");
    await expect(page.getByText(/Search for a ticket or a commit/)).toBeVisible();
    await expectNoViolations(page, "/where with no search");

    await page.goto("/where?q=NOPE-1");
    await expect(page.getByRole("heading", { name: "Where is NOPE-1 running?" })).toBeVisible();
    await expectNoViolations(page, "/where?q=NOPE-1");
  });

  test("not found", async ({ page }) => {
    await page.goto("/environments/no-such-environment");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expectNoViolations(page, "the 404 page");
  });
});

test.describe("accessibility: a requester on payments (ben)", () => {
  test.beforeEach(async ({ page }) => signIn(page, "ben", "/environments/payments-eu"));

  test("an environment where ben may raise releases", async ({ page }) => {
    await expect(page.getByRole("link", { name: "Roll back checkout to its previous version" })).toBeVisible();
    await expectNoViolations(page, "/environments/payments-eu as a requester");
  });

  test("its history", async ({ page }) => {
    await page.getByRole("link", { name: "History" }).click();
    await expect(page).toHaveURL(/\/environments\/payments-eu\/history$/);
    await expect(page.getByRole("link", { name: /Roll back to here/ }).first()).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, "/environments/payments-eu/history");
  });

  test("the upgrade wizard, its review and the ticket drawer", async ({ page }) => {
    test.setTimeout(120_000);
    await page.getByRole("link", { name: "Upgrade services" }).click();
    await expect(page).toHaveURL(/\/environments\/payments-eu\/upgrade$/);
    await page.getByRole("button", { name: "Select all behind" }).click();
    await expect(page.getByRole("combobox", { name: /^Target version for / }).first()).toBeVisible();
    await expectNoViolations(page, "upgrade step 1 with services chosen");

    await page.getByRole("button", { name: "Review changes" }).click();
    await expect(page.getByRole("button", { name: "Raise change request" })).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, "upgrade step 2 (review)");

    const ticket = page.getByRole("button", { name: /^[A-Z][A-Z0-9]+-\d+$/ }).first();
    const key = (await ticket.textContent())!.trim();
    await ticket.click();
    const drawer = page.getByRole("dialog", { name: key });
    await expect(drawer.getByRole("region", { name: `Where ${key} is running` }).getByRole("listitem").first()).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, `the ticket drawer of ${key}`);

    // Where the drawer leads: the answer for that ticket.
    await drawer.getByRole("link", { name: `Where is ${key} running?` }).click();
    await expect(page).toHaveURL(new RegExp(`/where\\?q=${key}$`));
    await expect(page.getByRole("region", { name: new RegExp(`where ${key} runs$`) }).first()).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, `/where?q=${key}`);
  });

  test("a rollback and its review", async ({ page }) => {
    test.setTimeout(120_000);
    await page.getByRole("link", { name: "Roll back checkout to its previous version" }).click();
    await expect(page).toHaveURL(/\/environments\/payments-eu\/rollback\?service=checkout$/);
    await expect(page.getByRole("checkbox", { name: "Roll back checkout" })).toBeChecked();
    await expectNoViolations(page, "the rollback page");

    await page.getByRole("button", { name: "Review rollback" }).click();
    await expect(page.getByRole("button", { name: "Raise change request" })).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, "the rollback review");
  });
});

test.describe("accessibility: a gatekeeper (gita)", () => {
  test("forbidden", async ({ page }) => {
    await signIn(page, "gita");
    const response = await page.goto("/admin/audit");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expectNoViolations(page, "the forbidden page");
  });
});

test.describe("accessibility: an admin (ada)", () => {
  test.beforeEach(async ({ page }) => signIn(page, "ada"));

  for (const [path, heading] of [
    ["/admin/audit", "Audit trail"],
    ["/admin/settings", /Settings/],
    ["/admin/refresh", /Refresh timings/],
  ] as const) {
    test(path, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: heading, level: 2 })).toBeVisible();
      await expectNoViolations(page, path);
    });
  }
});

test.describe("accessibility: dark mode (the system's setting)", () => {
  test.use({ colorScheme: "dark" });
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  for (const [name, path] of [
    ["the overview", "/"],
    ["an environment", "/environments/shop-production"],
    ["the release list", "/releases"],
  ] as const) {
    test(name, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      // antd turns dark once hydrated (the server cannot know the system's setting): wait for its dark surface.
      await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgb(255, 255, 255)");
      await expectNoViolations(page, `${name} in dark mode`);
    });
  }
});
