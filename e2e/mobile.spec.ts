import { expect, test } from "@playwright/test";

test("the overview and an environment page are usable on a phone", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // The navigation collapses out of the way; the matrix scrolls inside its own box instead of the page.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width + 1);
  await page.getByRole("link", { name: /^orders in shop-production/ }).click();
  await expect(page.getByRole("heading", { name: "shop-production" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "orders" }).first()).toContainText("1.2.0");
});
