import { type Page, expect } from "@playwright/test";
import { DEMO_USERS } from "../lib/demo/demo-users";

export type DemoUser = (typeof DEMO_USERS)[number]["username"];

/** Signs in through the sign-in form, as a person would, and waits for the page behind it. */
export async function signIn(page: Page, username: DemoUser, path = "/"): Promise<void> {
  const user = DEMO_USERS.find((u) => u.username === username)!;
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("User name").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: /Sign in$/ }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** Signs out, signs the gatekeeper in on the release request's page, and approves and merges it there. */
export async function mergeAsGatekeeper(page: Page, releaseUrl: string, gatekeeper: DemoUser = "gita"): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, gatekeeper, new URL(releaseUrl).pathname);
  await page.getByRole("button", { name: "Approve and merge" }).click();
  await page.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByText("merged", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
}

/** Refreshes from an environment's page and waits until every environment was read again. */
export async function refreshFrom(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByText(/Refreshed 7 environments/)).toBeVisible({ timeout: 30_000 });
}
