import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MLFLOW_API } from "./api.server";

const root = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

describe("MLflow route files", () => {
  it.each(Object.entries(MLFLOW_API))(
    "app/api/2.0/mlflow%s serves the table's methods and refuses the others in MLflow's format",
    async (route, methods) => {
      // `{model_id}` in MLflow's paths is a `[model_id]` folder in Next's app router.
      const file = path.join(root, "app/api/2.0/mlflow", route.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect(existsSync(file), `${file} is missing`).toBe(true);
      const mod: Record<string, unknown> = await import(/* @vite-ignore */ file);
      expect(METHODS.filter((m) => typeof mod[m] !== "function")).toEqual([]);
      const allowed = Object.keys(methods);
      const url = `http://mlflow.test/api/2.0/mlflow${route.replace(/\{(\w+)\}/g, "x")}`;
      for (const method of METHODS.filter((m) => !allowed.includes(m))) {
        const handler = mod[method] as (req: Request, context: unknown) => Promise<Response>;
        const res = await handler(new Request(url, { method }), { params: Promise.resolve({}) });
        expect(res.status).toBe(405);
        expect(
          res.headers
            .get("allow")
            ?.split(", ")
            .filter((m) => METHODS.includes(m)),
        ).toEqual(METHODS.filter((m) => allowed.includes(m)));
        expect(await res.json()).toEqual({
          error_code: "ENDPOINT_NOT_FOUND",
          message: expect.stringContaining(`${method} is not allowed`),
        });
      }
    },
  );
});
