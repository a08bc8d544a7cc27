import { expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

test("the overview and an environment page are usable on a phone", async ({ page }) => {
  await signIn(page, "dana");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  // The navigation starts closed and never pushes the page wider than the screen; the matrix scrolls in its box.
  const navigation = page.getByRole("navigation", { name: "Environments" });
  await expect(navigation).toBeHidden();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width + 1);

  await page.getByRole("button", { name: "Open navigation" }).click();
  await expect(navigation).toBeVisible();
  await navigation.getByRole("link", { name: /shop-production/ }).click();
  await expect(page.getByRole("heading", { name: "shop-production" })).toBeVisible();
  await expect(navigation).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: "orders" }).first()).toContainText("1.2.0");
  await page.screenshot({ path: "test-results/phone-environment.png", fullPage: false });
});
