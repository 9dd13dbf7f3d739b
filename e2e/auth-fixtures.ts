import path from "node:path";

/**
 * The accounts every browser test runs with (issue 14: auth is on by default). The app starts with
 * these in its environment, so its first start creates the admin and an admin API key with exactly
 * this value; the `setup` project signs in once and the other projects reuse the session.
 */
export const ADMIN_EMAIL = "admin@example.test";
export const ADMIN_PASSWORD = "e2e-admin-password-0001";
// Keys look like the app's own (`llmops_` + random); a fixed one is what LLMOPS_ADMIN_API_KEY is for.
// Also published as E2E_ADMIN_API_KEY (set it to use another), which some specs read from the environment.
export const ADMIN_API_KEY = (process.env.E2E_ADMIN_API_KEY ??= "llmops_e2eAdminKey000000000000000000000000");

/** Where the setup project keeps the admin's signed-in browser state. */
export const ADMIN_STORAGE = path.join("test-results", ".auth", "admin.json");

/** The header the dashboard sends with every state change (a page on another origin cannot). */
export const CSRF = { "x-llmops-csrf": "1" } as const;

/** For clients outside the browser (the npm mlflow client, OpenAI SDK, plain fetch, the CLI). */
export const BEARER = { authorization: `Bearer ${ADMIN_API_KEY}` } as const;

/** The environment of every app process the tests start (the shared web server and the specs' own). */
export const AUTH_ENV = {
  LLMOPS_AUTH: "on",
  LLMOPS_ADMIN_EMAIL: ADMIN_EMAIL,
  LLMOPS_ADMIN_PASSWORD: ADMIN_PASSWORD,
  LLMOPS_ADMIN_API_KEY: ADMIN_API_KEY,
} as const;
