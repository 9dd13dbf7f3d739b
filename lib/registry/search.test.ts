import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { modelClauseSql, modelOrderSql, parseModelFilter, parseVersionFilter, versionClauseSql, versionOrderSql } from "./search";

const dialect = new PgDialect();
const render = (sql: Parameters<PgDialect["sqlToQuery"]>[0]) => dialect.sqlToQuery(sql).sql.replace(/\s+/g, " ");

describe("registered model filters", () => {
  it("bind name comparisons and tags, with backtick-quoted keys", () => {
    expect(parseModelFilter("name LIKE '%clf%' and tags.`mlflow.prompt.is_prompt` = 'true'")).toEqual([
      { kind: "name", op: "LIKE", value: "%clf%" },
      { kind: "tag", key: "mlflow.prompt.is_prompt", op: "=", value: "true" },
    ]);
  });

  it("let != on a tag match models without the tag, so prompts can be excluded", () => {
    const [clause] = parseModelFilter("tags.`mlflow.prompt.is_prompt` != 'true'");
    if (!clause) throw new Error("no clause");
    expect(render(modelClauseSql(clause))).toMatch(
      /^not exists \(select 1 from "registered_model_tags" where .* "registered_model_tags"."value" = \$2\)$/,
    );
  });

  it("reject other attributes and entities", () => {
    expect(() => parseModelFilter("description = 'x'")).toThrow("Invalid attribute key 'description' specified. Valid keys are '{'name'}'");
    expect(() => parseModelFilter("metrics.a > 1")).toThrow(
      "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')",
    );
  });

  it("order by name by default, and break ties by name", () => {
    expect(modelOrderSql([]).map(render)).toEqual([`"registered_models"."name" asc`]);
    expect(modelOrderSql(["timestamp DESC"]).map(render)).toEqual([
      `"registered_models"."creation_time" desc`,
      `"registered_models"."name" asc`,
    ]);
    expect(() => modelOrderSql(["owner"])).toThrow("Invalid order by key 'owner' specified.");
  });
});

describe("model version filters", () => {
  it("bind name, run_id lists, source_path and version_number", () => {
    expect(parseVersionFilter("name = 'm' and run_id IN ('a','b') and source_path LIKE 's3://%' and version_number > 2")).toEqual([
      { kind: "text", key: "name", op: "=", value: "m" },
      { kind: "in", key: "run_id", negate: false, values: ["a", "b"] },
      { kind: "text", key: "source_path", op: "LIKE", value: "s3://%" },
      { kind: "version", op: ">", value: 2 },
    ]);
    const [clause] = parseVersionFilter("run_id IN ('a','b')");
    if (!clause) throw new Error("no clause");
    expect(render(versionClauseSql(clause))).toBe(`"model_versions"."run_id" in ($1, $2)`);
  });

  it("order by last update, name and version by default", () => {
    expect(versionOrderSql([]).map(render)).toEqual([
      `"model_versions"."last_updated_time" desc`,
      `"model_versions"."name" asc`,
      `"model_versions"."version" desc`,
    ]);
  });
});
