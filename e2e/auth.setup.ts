import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_STORAGE } from "./auth-fixtures";

/** Signs the admin in through the sign-in page, once, and keeps the session for every other spec. */
setup("sign in as the admin", async ({ page }) => {
  await page.goto("/");
  // Signed out, the dashboard sends you to sign in first.
  await expect(page).toHaveURL(/\/sign-in(\?|$)/);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Account: / })).toBeVisible();
  mkdirSync(path.dirname(ADMIN_STORAGE), { recursive: true });
  await page.context().storageState({ path: ADMIN_STORAGE });
});
