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
