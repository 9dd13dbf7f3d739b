import { describe, expect, it } from "vitest";
import { mlflowHashTarget } from "./mlflow-hash";

describe("mlflowHashTarget", () => {
  it("maps the links MLflow clients print to this app's pages", () => {
    expect(mlflowHashTarget("#/experiments/3/runs/abc123")).toBe("/experiments/3/runs/abc123");
    expect(mlflowHashTarget("#/experiments/3")).toBe("/experiments/3");
    expect(mlflowHashTarget("#/experiments/3/runs/abc/artifacts/model/MLmodel")).toBe(
      "/experiments/3/runs/abc?tab=artifacts&path=model%2FMLmodel",
    );
    expect(mlflowHashTarget("#/experiments/3/models/m-1")).toBe("/lineage?node=logged_model%3Am-1");
    expect(mlflowHashTarget('#/compare-runs?runs=["a","b"]&experiments=["1"]')).toBe("/experiments/compare?runs=a&runs=b");
    expect(mlflowHashTarget("#/models/clf/versions/2")).toBe("/registry/models/clf/versions/2");
    expect(mlflowHashTarget("#/models/my%20model")).toBe("/registry/models/my%20model");
    expect(mlflowHashTarget("#/prompts/summarize")).toBe("/registry/prompts/summarize");
    expect(mlflowHashTarget("#/experiments")).toBe("/experiments");
  });

  it("leaves anything else alone", () => {
    for (const hash of ["", "#", "#/", "#section", "#/metric/loss", '#/compare-runs?runs=["a"'])
      expect(mlflowHashTarget(hash), hash).toBeUndefined();
  });
});
