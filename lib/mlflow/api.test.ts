import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MLFLOW_API } from "./api.server";

const root = path.resolve(import.meta.dirname, "../..");

describe("MLflow route files", () => {
  it.each(Object.entries(MLFLOW_API))("app/api/2.0/mlflow%s exports exactly the methods of the endpoint table", async (route, methods) => {
    // `{model_id}` in MLflow's paths is a `[model_id]` folder in Next's app router.
    const file = path.join(root, "app/api/2.0/mlflow", route.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
    expect(existsSync(file), `${file} is missing`).toBe(true);
    const mod: Record<string, unknown> = await import(/* @vite-ignore */ file);
    const exported = ["GET", "POST", "PATCH", "DELETE", "PUT"].filter((m) => typeof mod[m] === "function");
    expect(exported.sort()).toEqual(Object.keys(methods).sort());
  });
});
