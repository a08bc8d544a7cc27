import { expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

test.describe("sign-in and roles", () => {
  test("a visitor is sent to sign in, and a wrong password says so", async ({ page }) => {
    await page.goto("/environments/shop-production");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fenvironments%2Fshop-production/);
    await page.getByLabel("User name").fill("dana");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: /Sign in$/ }).click();
    // (Next's route announcer is an alert too: pick ours by its text.)
    await expect(page.getByRole("alert").filter({ hasText: "Wrong user name or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("signing in returns to the page asked for; signing out ends the session", async ({ page }) => {
    await signIn(page, "dana", "/environments/shop-production");
    await expect(page.getByRole("heading", { name: "shop-production" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  const roles = [
    { user: "dana", environment: "shop-production", access: ["view"], admin: false },
    { user: "ben", environment: "payments-eu", access: ["view", "raise releases"], admin: false },
    { user: "ben", environment: "shop-production", access: ["view"], admin: false },
    { user: "gita", environment: "shop-production", access: ["view", "raise releases", "approve and merge"], admin: false },
    { user: "ada", environment: "shop-dev", access: ["view", "raise releases", "approve and merge", "administer"], admin: true },
  ] as const;

  for (const role of roles) {
    test(`${role.user} sees only what the role allows in ${role.environment}`, async ({ page }) => {
      await signIn(page, role.user, `/environments/${role.environment}`);
      const access = page.getByRole("row").filter({ hasText: "Your access" });
      for (const label of ["view", "raise releases", "approve and merge", "administer"]) {
        const tag = access.getByText(label, { exact: true });
        if ((role.access as readonly string[]).includes(label)) await expect(tag).toBeVisible();
        else await expect(tag).toHaveCount(0);
      }
      const auditLink = page.getByRole("link", { name: "Audit trail" });
      if (role.admin) await expect(auditLink).toBeVisible();
      else await expect(auditLink).toHaveCount(0);
    });
  }

  test("a non-admin cannot open the audit trail even by its address", async ({ page }) => {
    await signIn(page, "gita");
    const response = await page.goto("/admin/audit");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Audit trail" })).toHaveCount(0);
  });

  test("the audit trail shows sign-ins, failed ones too", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("User name").fill("gita");
    await page.getByLabel("Password").fill("wrong-password-here");
    await page.getByRole("button", { name: /Sign in$/ }).click();
    // (Next's route announcer is an alert too: pick ours by its text.)
    await expect(page.getByRole("alert").filter({ hasText: "Wrong user name or password." })).toBeVisible();

    await signIn(page, "ada", "/admin/audit");
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    const table = page.getByRole("table");
    await expect(table.getByRole("row").filter({ hasText: "sign-in.success" }).filter({ hasText: "ada" }).first()).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: "sign-in.failure" }).filter({ hasText: "gita" }).first()).toBeVisible();

    await page.getByRole("combobox", { name: "Filter by action" }).click();
    await page.getByTitle("sign-in.failure", { exact: true }).click();
    await expect(page).toHaveURL(/action=sign-in\.failure/);
    await expect(table.getByRole("row").filter({ hasText: "sign-in.success" })).toHaveCount(0);
  });
});
