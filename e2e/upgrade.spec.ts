import { expect, test } from "@playwright/test";
import { mergeAsGatekeeper, refreshFrom, signIn } from "./sign-in";

// One story, in order: an upgrade raised by one person and approved by another.
test.describe.configure({ mode: "serial" });

test("upgrade two services through a change request that a gatekeeper approves and merges", async ({ page }) => {
  test.setTimeout(120_000);
  // Ada may raise requests in shop-staging; Gita is its gatekeeper (and nobody approves their own request).
  await signIn(page, "ada", "/environments/shop-staging");
  await page.getByRole("link", { name: "Upgrade services" }).click();
  await expect(page).toHaveURL(/\/environments\/shop-staging\/upgrade$/);

  await page.getByRole("checkbox", { name: "Select orders" }).check();
  await page.getByRole("checkbox", { name: "Select checkout" }).check();
  await expect(page.getByRole("combobox", { name: "Target version for orders" })).toBeVisible();
  await page.getByRole("button", { name: "Review changes" }).click();

  // The plan: each version change, its changelog with tickets, and the exact file diff.
  await expect(page.getByRole("button", { name: /orders\s*1\.4\.1\s*→\s*1\.4\.2\s*3 commits/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: /checkout\s*1\.3\.1\s*→\s*1\.3\.2/ })).toBeVisible();
  const ticket = page.getByRole("button", { name: /^CHK-\d+$/ }).first();
  const key = (await ticket.textContent())!.trim();
  await ticket.click();
  const drawer = page.getByRole("dialog", { name: key });
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText("Jira is not configured");
  // Where the ticket runs already: shop-dev is ahead of staging for checkout.
  await expect(drawer.getByRole("region", { name: `Where ${key} is running` })).toContainText(/checkout: shipped in [^;]*shop-dev[^;]*; not yet in [^\n]*shop-staging/, {
    timeout: 30_000,
  });
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  const lockDiff = page.getByRole("region", { name: "Diff of stack/Chart.lock" });
  await expect(lockDiff).toContainText("+  version: 1.4.2");
  await expect(lockDiff).toContainText("-  version: 1.4.1");

  await page.getByRole("button", { name: "Raise change request" }).click();
  await expect(page).toHaveURL(/\/releases\/\d+$/, { timeout: 30_000 });
  const releaseUrl = page.url();
  await expect(page.getByText("open", { exact: true }).first()).toBeVisible();
  // The requester cannot approve their own request: the button is not offered.
  await expect(page.getByRole("button", { name: "Approve and merge" })).toHaveCount(0);

  // The gatekeeper approves and merges it.
  await mergeAsGatekeeper(page, releaseUrl);

  // After a refresh, the environment runs the new versions: both turn green.
  await refreshFrom(page, "/environments/shop-staging");
  for (const [service, version] of [["orders", "1.4.2"], ["checkout", "1.3.2"]] as const) {
    const row = page.getByRole("row").filter({ has: page.getByText(service, { exact: true }) });
    await expect(row).toContainText(version);
    await expect(row).toContainText("current");
  }

  // And the release history lists it as merged.
  await page.goto("/releases");
  await expect(page.getByRole("row").filter({ hasText: "shop-staging" }).first()).toContainText("merged");
});
