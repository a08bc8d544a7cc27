import { type Page, expect, test } from "@playwright/test";
import { OIDC_TEST_CLIENT } from "../test/oidc/oidc-test-fixtures";
import { signIn } from "./sign-in";

/**
 * OpenID Connect sign-in against the test provider playwright.config.ts starts (test/oidc/serve-oidc.ts): the whole
 * redirect flow in the browser (state, PKCE, RS256 ID token checked by next-auth), then roles from the groups claim.
 */
async function signInWithTestIdp(page: Page, username: "olga" | "nora", path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Test IdP" })).toBeVisible();
  await page.getByLabel("User").selectOption(username);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

test.describe("OpenID Connect sign-in", () => {
  test("the sign-in page offers the provider by name, and never its client secret", async ({ page }) => {
    const response = await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in with Test IdP" })).toBeVisible();
    await expect(page.getByLabel("User name")).toBeVisible(); // local accounts stay on beside it
    expect(await response!.text()).not.toContain(OIDC_TEST_CLIENT.clientSecret);
  });

  test("olga signs in at the identity provider and gets the payments developers' access", async ({ page }) => {
    await signInWithTestIdp(page, "olga", "/environments/payments-eu");
    await expect(page).toHaveURL(/\/environments\/payments-eu$/);
    await expect(page.getByText("Olga Oidc")).toBeVisible();
    await expect(page.getByText("(olga)")).toBeVisible();
    await expect(page.getByRole("heading", { name: "payments-eu" })).toBeVisible();

    const access = page.getByRole("row").filter({ hasText: "Your access" });
    await expect(access.getByText("view", { exact: true })).toBeVisible();
    await expect(access.getByText("raise releases", { exact: true })).toBeVisible();
    await expect(access.getByText("approve and merge", { exact: true })).toHaveCount(0);
    await expect(access.getByText("administer", { exact: true })).toHaveCount(0);

    const nav = page.getByRole("navigation", { name: "Environments" });
    await expect(nav.getByRole("link", { name: "payments-eu", exact: true })).toBeVisible();
    await expect(nav.getByRole("link", { name: "payments-us", exact: true })).toBeVisible();
    await expect(nav.getByRole("link", { name: "shop-production", exact: true })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Audit trail" })).toHaveCount(0);

    // Not by its address either: an environment outside the role is a 404, like one that does not exist, so its
    // name cannot be confirmed by probing.
    const response = await page.goto("/environments/shop-production");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "shop-production" })).toHaveCount(0);
  });

  test("the audit trail records olga's sign-in as coming from OpenID Connect", async ({ page }) => {
    await signInWithTestIdp(page, "olga");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);

    await signIn(page, "ada", "/admin/audit?action=sign-in.success");
    const table = page.getByRole("table");
    const row = table.getByRole("row").filter({ hasText: "sign-in.success" }).filter({ hasText: "olga" }).first();
    await expect(row).toBeVisible();
    await expect(row.getByText("oidc", { exact: true })).toBeVisible();
  });

  test("a person in no group signs in but is shown no environments, and is told why", async ({ page }) => {
    await signInWithTestIdp(page, "nora");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByText("(nora)")).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Environments" });
    await expect(nav.getByRole("link", { name: /^(shop|payments|legacy|sandbox)/ })).toHaveCount(0);
    await expect(page.getByRole("gridcell", { name: /^orders / })).toHaveCount(0);
    await expect(page.getByText("You have no access to any environment")).toBeVisible();
  });
});
