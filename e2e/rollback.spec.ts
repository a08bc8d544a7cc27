import { expect, test } from "@playwright/test";
import { mergeAsGatekeeper, refreshFrom, signIn } from "./sign-in";

// A rollback raised by a requester and merged by a gatekeeper, like an upgrade, on an environment the upgrade story
// does not touch.
test.describe.configure({ mode: "serial" });

test("roll one service back to its previous version in one click, through a reviewed change request", async ({ page }) => {
  test.setTimeout(120_000);
  // Ben may raise requests on the payments stacks; Gita is their gatekeeper.
  await signIn(page, "ben", "/environments/payments-eu");
  await page.getByRole("link", { name: "Roll back checkout to its previous version" }).click();
  await expect(page).toHaveURL(/\/environments\/payments-eu\/rollback\?service=checkout$/);

  // Only checkout is chosen, so there is no several-services warning; the others can still be ticked.
  await expect(page.getByRole("checkbox", { name: "Roll back checkout" })).toBeChecked();
  await expect(page.getByText(/services roll back at once/)).toHaveCount(0);
  const row = page.getByRole("row").filter({ has: page.getByText("checkout", { exact: true }) });
  const [now, back] = (await row.getByRole("cell").allTextContents()).slice(-2).map((t) => t.trim());
  expect(now).toBe("1.3.0");
  await page.getByRole("button", { name: "Review rollback" }).click();

  // The plan: the version going back, the commits it takes out, the exact edit.
  await expect(page.getByRole("heading", { name: new RegExp(`^Roll back checkout to ${back!.replace(/\./g, "\\.")} in payments-eu`) })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText("downgrade").first()).toBeVisible();
  await page.getByRole("button", { name: "Raise change request" }).click();
  await expect(page).toHaveURL(/\/releases\/\d+$/, { timeout: 30_000 });
  const releaseUrl = page.url();
  await expect(page.getByText("rollback", { exact: true }).first()).toBeVisible();

  // The gatekeeper merges it; after a refresh checkout runs the earlier version again.
  await mergeAsGatekeeper(page, releaseUrl);
  await refreshFrom(page, "/environments/payments-eu");
  await expect(page.getByRole("row").filter({ has: page.getByText("checkout", { exact: true }) })).toContainText(back!);
  // The history shows the merge, linked to the rollback request that made it.
  await page.getByRole("link", { name: "History" }).click();
  const newest = page.getByRole("table", { name: "Release history" }).getByRole("row").nth(1);
  await expect(newest).toContainText(`checkout ${now} → ${back}`);
  await expect(newest.getByRole("link", { name: `Slipway rollback #${new URL(releaseUrl).pathname.split("/").pop()}` })).toBeVisible();
});

test("roll an environment back two releases from its history, warned that several services go back at once", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "ben", "/environments/payments-us");
  await page.getByRole("link", { name: "History" }).click();
  await expect(page).toHaveURL(/\/environments\/payments-us\/history$/);
  // The refresh that started with the app reads the history; until then the page says so.
  const rollbackLinks = page.getByRole("link", { name: /Roll back to here/ });
  await expect(rollbackLinks.first()).toBeVisible({ timeout: 30_000 });

  // Entries are newest first and the newest (what runs) has no link: the second link goes two releases back.
  await rollbackLinks.nth(1).click();
  await expect(page).toHaveURL(/\/environments\/payments-us\/rollback\?to=[0-9a-f]{40}$/);
  const boxes = page.getByRole("table", { name: "Services to roll back" }).getByRole("checkbox", { name: /^Roll back (?!every)/ });
  const count = await boxes.count();
  expect(count).toBeGreaterThan(1);
  await expect(page.getByText(`${count} services roll back at once`)).toBeVisible();
  await page.getByRole("button", { name: "Review rollback" }).click();
  await expect(page.getByRole("heading", { name: /^Roll back \d+ services .* in payments-us, as at [0-9a-f]{8}$/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Raise change request" }).click();
  await expect(page).toHaveURL(/\/releases\/\d+$/, { timeout: 30_000 });
  await expect(page.getByText("rollback", { exact: true }).first()).toBeVisible();

  // The tickets that leave are named in the request; "where is it running?" finds one of them.
  const body = (await page.getByText(/Tickets that leave with this rollback/).first().textContent()) ?? "";
  const ticket = /[A-Z][A-Z0-9]+-\d+/.exec(body.split(":").slice(1).join(":"))?.[0];
  expect(ticket).toBeTruthy();
  const search = page.getByRole("searchbox", { name: /Where is it running/ }).or(page.getByRole("textbox", { name: /Where is it running/ }));
  await search.fill(ticket!);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/where\\?q=${ticket}$`));
  await expect(page.getByRole("region", { name: new RegExp(`where ${ticket} runs$`) }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/contains it|not yet/).first()).toBeVisible();
});

test("promote one service from shop-dev to shop-staging along the promotion path", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "ada", "/environments/shop-dev");
  await page.getByRole("link", { name: /^Promote to shop-staging: \d+ services? differs?$/ }).click();
  await expect(page).toHaveURL(/\/environments\/shop-staging\/promote\?from=shop-dev$/);
  // Only reviews goes: the upgrade story moves orders and checkout in shop-staging itself.
  await page.getByRole("checkbox", { name: "Promote every service" }).uncheck();
  await page.getByRole("checkbox", { name: "Promote reviews" }).check();
  await expect(page.getByText(/services move at once/)).toHaveCount(0);
  await page.getByRole("button", { name: "Review promotion" }).click();
  await expect(page.getByRole("heading", { name: /^Promote reviews [\d.]+ from shop-dev to shop-staging$/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Raise change request" }).click();
  await expect(page).toHaveURL(/\/releases\/\d+$/, { timeout: 30_000 });
  const releaseUrl = page.url();
  await expect(page.getByText("promotion", { exact: true }).first()).toBeVisible();
  await mergeAsGatekeeper(page, releaseUrl);
  await refreshFrom(page, "/environments/shop-staging");
  await expect(page.getByRole("row").filter({ has: page.getByText("reviews", { exact: true }) })).toContainText("current");
});
