import { type Locator, type Page, expect, test } from "@playwright/test";
import { DEMO_USERS } from "../lib/demo/demo-users";

/** Presses Tab until `target` has the focus, as a keyboard user would; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`${target} was not reached in ${limit} presses of Tab`);
}

async function expectFocusVisible(page: Page): Promise<void> {
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe("none");
  expect(outline.width).toBeGreaterThan(0);
}

/**
 * Issue 12: sign in, move through the overview matrix, open an environment and start an upgrade — all without a
 * mouse. Ben is a requester in the payments stacks.
 */
test("a keyboard alone signs in, walks the matrix, opens an environment and starts an upgrade", async ({ page }) => {
  test.setTimeout(90_000);
  const ben = DEMO_USERS.find((u) => u.username === "ben")!;
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await tabTo(page, page.getByLabel("User name"));
  await page.keyboard.type(ben.username);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(ben.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // Into the grid: one tab stop, on its first cell; the arrow keys do the rest.
  const grid = page.getByRole("grid", { name: "Service versions by environment" });
  await tabTo(page, grid.getByRole("gridcell").first());
  await expectFocusVisible(page);
  const columns = await grid.getByRole("columnheader").evaluateAll((headers) => headers.map((h) => h.querySelector("a")?.textContent ?? ""));
  const column = columns.indexOf("payments-eu") - 1;
  expect(column).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < column; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  await expect(page.locator(":focus")).toHaveAccessibleName(/ /);
  await expectFocusVisible(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/environments\/payments-eu(#service-[\w-]+)?$/);
  await expect(page.getByRole("heading", { name: "payments-eu" })).toBeVisible();

  // Start an upgrade: the link, a service's checkbox (Space), and the review (Enter).
  await tabTo(page, page.getByRole("link", { name: "Upgrade services" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/environments\/payments-eu\/upgrade$/);
  const checkout = page.getByRole("checkbox", { name: "Select checkout" });
  await tabTo(page, checkout);
  await page.keyboard.press("Space");
  await expect(checkout).toBeChecked();
  await tabTo(page, page.getByRole("button", { name: "Review changes" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: /checkout\s*1\.3\.0\s*→\s*1\.3\.2/ })).toBeVisible({ timeout: 30_000 });
});
