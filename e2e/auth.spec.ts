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

  test("signing out ends the session on the server: a copied cookie no longer works", async ({ page, browser }) => {
    await signIn(page, "dana", "/environments/shop-production");
    const copied = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);

    const elsewhere = await browser.newContext();
    await elsewhere.addCookies(copied);
    const other = await elsewhere.newPage();
    await other.goto("/environments/shop-production");
    await expect(other).toHaveURL(/\/sign-in/);
    await elsewhere.close();
  });

  test("a callbackUrl that leads off the site sends the person home instead", async ({ page }) => {
    const garbled = await page.goto("/sign-in?callbackUrl=%0A%0D%C3%BC");
    expect(garbled?.status()).toBe(200);
    await page.goto("/sign-in?callbackUrl=/%09/evil.example");
    await page.getByLabel("User name").fill("dana");
    await page.getByLabel("Password").fill("demo-dana-pass");
    await page.getByRole("button", { name: /Sign in$/ }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  });

  test("a forged X-Forwarded-For neither escapes the sign-in limit nor lands in the audit trail", async ({ page }) => {
    // Straight to next-auth, as a script would: each try claims another address.
    const errors: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await page.request.post("/api/auth/callback/local", {
        form: { username: "mallory", password: `guess-${i}-password`, csrfToken, json: "true" },
        headers: { "x-forwarded-for": `203.0.113.${i + 1}` },
      });
      errors.push(new URL(((await response.json()) as { url: string }).url).searchParams.get("error") ?? "");
    }
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("Wrong user name or password."));
    expect(errors[5]).toMatch(/^Too many failed sign-ins/);

    await signIn(page, "ada", "/admin/audit?actor=mallory");
    const rows = page.getByRole("table").getByRole("row").filter({ hasText: "mallory" });
    await expect(rows).toHaveCount(6);
    await expect(rows.filter({ hasText: "203.0.113." })).toHaveCount(0);
    await expect(rows.filter({ hasText: "rate-limited" })).toHaveCount(1);
  });
});
