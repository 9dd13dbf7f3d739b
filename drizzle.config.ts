import { defineConfig } from "drizzle-kit";

// Migrations are generated only by `npm run db:generate` and applied at start-up by db/client.server.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
