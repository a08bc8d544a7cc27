import { type Page, expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

const ENVIRONMENTS = ["shop-dev", "shop-staging", "shop-production", "payments-eu", "payments-us", "legacy-backoffice", "sandbox"];

/** "rgb(207, 19, 34)" → [207, 19, 34] */
function rgb(color: string): number[] {
  return (color.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

/** The matrix cell of a service (row) in an environment (column), found through the grid's own headers. */
async function matrixCell(page: Page, service: string, environment: string) {
  const matrix = page.getByRole("grid", { name: "Service versions by environment" });
  const columns = await matrix.getByRole("columnheader").evaluateAll((headers) =>
    headers.map((h) => h.querySelector("a")?.textContent ?? h.textContent ?? ""),
  );
  const column = columns.indexOf(environment);
  expect(column, `column ${environment} in ${columns.join(", ")}`).toBeGreaterThan(0);
  const row = matrix.getByRole("row").filter({ has: page.getByRole("rowheader", { name: service, exact: true }) });
  return row.getByRole("gridcell").nth(column - 1);
}

test.describe("overview", () => {
  // A delivery manager: a viewer of every environment.
  test.beforeEach(async ({ page }) => signIn(page, "dana"));

  test("shows every environment of the workspace", async ({ page }) => {
    await page.goto("/");
    const matrix = page.getByRole("grid", { name: "Service versions by environment" });
    for (const name of ENVIRONMENTS) {
      await expect(matrix.getByRole("columnheader").getByRole("link", { name, exact: true })).toBeVisible();
    }
    await expect(matrix.getByRole("rowheader", { name: "orders", exact: true })).toBeVisible();
  });

  test("a far-behind service shows a red badge, a shape, and its running and latest versions in words", async ({ page }) => {
    await page.goto("/");
    const cell = await matrixCell(page, "orders", "shop-production");
    await expect(cell).toHaveAccessibleName(/^orders 1\.2\.0 far behind: \d+ releases \(minor\)(, \d+ days)?; latest 1\.4\.2$/);
    const badge = cell.locator("b");
    await expect(badge).toHaveText(/1\.2\.0$/);
    const [r, g, b] = rgb(await badge.evaluate((el) => getComputedStyle(el).backgroundColor));
    expect(r).toBeGreaterThan(120);
    expect(r).toBeGreaterThan((g ?? 0) * 3);
    expect(r).toBeGreaterThan((b ?? 0) * 3);
    const shape = await badge.evaluate((el) => getComputedStyle(el, "::before").content);
    expect(shape).toMatch(/!|✖/);

    const current = await matrixCell(page, "orders", "shop-dev");
    await expect(current).toHaveAccessibleName("orders 1.4.2 current");
    const [cr, cg] = rgb(await current.locator("b").evaluate((el) => getComputedStyle(el).backgroundColor));
    expect(cg).toBeGreaterThan(cr ?? 255);
    expect(await current.locator("b").evaluate((el) => getComputedStyle(el, "::before").content)).toContain("✓");

    await expect(page.getByRole("list", { name: "Badge legend" })).toContainText("far behind");
  });

  test("a broken environment shows its error while the others render", async ({ page }) => {
    await page.goto("/");
    const alert = page.getByRole("alert").filter({ hasText: "sandbox could not be read" });
    await expect(alert).toContainText("not valid YAML");
    await expect(await matrixCell(page, "checkout", "payments-us")).toHaveAccessibleName(/^checkout 1\.3\.2 current/);

    await page.goto("/environments/sandbox");
    await expect(page.getByRole("alert").filter({ hasText: "This environment could not be read" })).toContainText("Chart.yaml");
  });

  test("a cell opens its environment at the service, by click and by keyboard", async ({ page }) => {
    await page.goto("/");
    await (await matrixCell(page, "orders", "shop-production")).click();
    await expect(page).toHaveURL(/\/environments\/shop-production#service-orders$/);
    await expect(page.getByRole("heading", { name: "shop-production" })).toBeVisible();

    await page.goto("/");
    const first = page.getByRole("grid", { name: "Service versions by environment" }).getByRole("gridcell").first();
    await first.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowDown");
    await expect(page.locator(":focus")).toHaveAccessibleName(/^[a-z-]+ /);
    const focusedName = await page.locator(":focus").evaluate((el) => el.textContent);
    expect(focusedName).not.toBe(await first.textContent());
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/environments\/[a-z-]+(#service-[a-z-]+)?$/);
  });

  test("filters by group, service and only behind, keeping the filters in the URL", async ({ page }) => {
    await page.goto("/");
    const matrix = page.getByRole("grid", { name: "Service versions by environment" });

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
    await expect(await matrixCell(page, "inventory", "legacy-backoffice")).toHaveAccessibleName(/^inventory unknown version unparseable version/);
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
