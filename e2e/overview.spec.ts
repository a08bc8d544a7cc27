import { expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

const ENVIRONMENTS = ["shop-dev", "shop-staging", "shop-production", "payments-eu", "payments-us", "legacy-backoffice", "sandbox"];

/** "rgb(207, 19, 34)" → [207, 19, 34] */
function rgb(color: string): number[] {
  return (color.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

test.describe("overview", () => {
  // A delivery manager: a viewer of every environment.
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  test("shows every environment of the workspace", async ({ page }) => {
    await page.goto("/");
    const matrix = page.getByRole("table", { name: "Service versions by environment" });
    for (const name of ENVIRONMENTS) {
      await expect(matrix.getByRole("columnheader").getByRole("link", { name, exact: true })).toBeVisible();
    }
    await expect(matrix.getByRole("rowheader", { name: "orders", exact: true })).toBeVisible();
  });

  test("a far-behind service shows a red badge with its running and latest versions", async ({ page }) => {
    await page.goto("/");
    const badge = page.getByRole("link", { name: /^orders in shop-production: 1\.2\.0, .*latest 1\.4\.2$/ });
    await expect(badge).toHaveText("1.2.0");
    await expect(badge).toHaveAttribute("data-status", "far-behind");
    const [r, g, b] = rgb(await badge.evaluate((el) => getComputedStyle(el).backgroundColor));
    expect(r).toBeGreaterThan(120);
    expect(r).toBeGreaterThan((g ?? 0) * 3);
    expect(r).toBeGreaterThan((b ?? 0) * 3);

    const current = page.getByRole("link", { name: /^orders in shop-dev: 1\.4\.2, current/ });
    const [cr, cg] = rgb(await current.evaluate((el) => getComputedStyle(el).backgroundColor));
    expect(cg).toBeGreaterThan(cr ?? 255);
  });

  test("a broken environment shows its error while the others render", async ({ page }) => {
    await page.goto("/");
    const alert = page.getByRole("alert").filter({ hasText: "sandbox could not be read" });
    await expect(alert).toContainText("not valid YAML");
    await expect(page.getByRole("link", { name: /^checkout in payments-us: 1\.3\.2, current/ })).toBeVisible();

    await page.goto("/environments/sandbox");
    await expect(page.getByRole("alert").filter({ hasText: "This environment could not be read" })).toContainText("Chart.yaml");
  });

  test("filters by group, service and only behind, keeping the filters in the URL", async ({ page }) => {
    await page.goto("/");
    const matrix = page.getByRole("table", { name: "Service versions by environment" });

    await page.getByRole("combobox", { name: "Group" }).click();
    // antd renders its visible options as titled items (the role="option" list is a hidden a11y mirror).
    await page.getByTitle("brand: payments", { exact: true }).click();
    await expect(page).toHaveURL(/group=brand%3Apayments/);
    await expect(matrix.getByRole("columnheader")).toHaveText([/Service/, /payments-eu/, /payments-us/]);

    await page.getByRole("switch", { name: "Only behind" }).click();
    await expect(page).toHaveURL(/behind=1/);
    // In the payments stacks only orders, checkout, accounts and gateway are behind somewhere.
    await expect(matrix.getByRole("rowheader")).toHaveText(["accounts", "checkout", "gateway", "orders"]);

    await page.goto("/?service=search&service=inventory");
    await expect(matrix.getByRole("rowheader")).toHaveText(["inventory", "search"]);
    await expect(page.getByRole("link", { name: /^inventory in legacy-backoffice: unknown, unparseable/ })).toBeVisible();
  });

  test("opens an environment page with its services, versions and links", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("columnheader").getByRole("link", { name: "shop-production", exact: true }).click();
    await expect(page).toHaveURL(/\/environments\/shop-production$/);
    await expect(page.getByRole("heading", { name: "shop-production" })).toBeVisible();
    const orders = page.getByRole("row").filter({ has: page.getByText("orders", { exact: true }) });
    await expect(orders).toContainText("1.2.0");
    await expect(orders).toContainText("1.4.2");
    await expect(orders).toContainText("6 behind");
    await expect(orders.getByRole("link", { name: "orders Grafana dashboard" })).toHaveAttribute("href", /grafana/);
    await expect(page.getByText("release/production")).toBeVisible();
  });

  test("refreshes on demand and says how it went", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByText(/Refreshed 7 environments in [\d.]+s; 1 could not be read\./)).toBeVisible();
  });
});
