import { expect, test } from "@playwright/test";

/**
 * The overview at the size of a large installation: 50 environments × 80 services, 4,000 cells (the workspace of
 * scripts/serve-scale-workspace.ts, readable by everyone). Scrolled to the far corner, the environment names stay
 * on top and the service names on the left; filters narrow the grid; the keyboard walks it.
 */
test("the 4,000-cell overview scrolls with sticky headers and filters", async ({ page }) => {
  await page.goto("/");
  const grid = page.getByRole("grid", { name: "Service versions by environment" });
  await expect(grid.getByRole("rowheader")).toHaveCount(80);
  await expect(grid.getByRole("columnheader")).toHaveCount(51);
  await expect(grid.getByRole("gridcell")).toHaveCount(4000);

  const scroller = grid.locator("xpath=..");
  await scroller.evaluate((el) => el.scrollTo(el.scrollWidth, el.scrollHeight));
  const box = (await scroller.boundingBox())!;
  // The corner header, an environment's header and the last row's service name are where sticky puts them.
  const corner = (await grid.getByRole("columnheader", { name: "Service" }).boundingBox())!;
  expect(Math.abs(corner.y - box.y)).toBeLessThanOrEqual(2);
  expect(Math.abs(corner.x - box.x)).toBeLessThanOrEqual(2);
  const lastColumn = grid.getByRole("columnheader").last();
  await expect(lastColumn).toBeInViewport();
  expect(Math.abs((await lastColumn.boundingBox())!.y - box.y)).toBeLessThanOrEqual(2);
  const lastService = grid.getByRole("rowheader").last();
  await expect(lastService).toBeInViewport();
  expect(Math.abs((await lastService.boundingBox())!.x - box.x)).toBeLessThanOrEqual(2);

  // The keyboard walks all of it: one tab stop, then to the far corner and back.
  const first = grid.getByRole("gridcell").first();
  await first.focus();
  await page.keyboard.press("Control+End");
  await expect(grid.getByRole("gridcell").last()).toBeFocused();
  await expect(grid.getByRole("gridcell").last()).toBeInViewport();
  await page.keyboard.press("Control+Home");
  await expect(first).toBeFocused();
  await page.keyboard.press("End");
  await expect(grid.getByRole("row").nth(1).getByRole("gridcell").last()).toBeFocused();

  // A group narrows the columns to its ten environments, service names and all 80 rows remain.
  await page.getByRole("combobox", { name: "Group" }).click();
  await page.getByTitle("brand: brand-1", { exact: true }).click();
  await expect(page).toHaveURL(/group=brand%3Abrand-1/);
  await expect(grid.getByRole("columnheader")).toHaveCount(11);
  await expect(grid.getByRole("gridcell")).toHaveCount(800);

  await page.getByRole("switch", { name: "Only behind" }).click();
  await expect(page).toHaveURL(/behind=1/);
  const behindRows = await grid.getByRole("rowheader").count();
  expect(behindRows).toBeGreaterThan(0);
  expect(behindRows).toBeLessThanOrEqual(80);
  // Every row left has a service behind somewhere in the group: a cell whose words say so.
  const firstRow = grid.getByRole("row").nth(1);
  await expect(firstRow.getByRole("gridcell", { name: /behind/ }).first()).toBeVisible();
});
