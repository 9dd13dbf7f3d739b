import { and, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { parseRunFilter, parseRunOrderBy } from "./run-filter";
import { compileRunSearch, runClauseSql, windowPlan } from "./run-search-sql";

const dialect = new PgDialect();
const render = (sql: SQL | undefined) => {
  if (!sql) throw new Error("no SQL");
  const query = dialect.sqlToQuery(sql);
  return { sql: query.sql.replace(/\s+/g, " "), params: query.params };
};
const where = (filter: string) => render(and(...parseRunFilter(filter).map(runClauseSql)));

describe("runClauseSql", () => {
  it("never splices request text into SQL: keys and values travel as parameters", () => {
    const attack = "x'; drop table runs; --";
    const { sql, params } = where(`params."${attack}" = '${attack.replaceAll("'", "''")}' and tags.t ILIKE '%a%'`);
    expect(sql).not.toContain("drop table");
    expect(params).toEqual([attack, attack, "t", "%a%"]);
    expect(sql).toContain(`"run_params"."key" = $1 and "run_params"."value" = $2`);
    expect(sql).toContain(`"run_tags"."value" ilike $4`);
  });

  it("gives metric comparisons IEEE semantics: NaN matches only !=", () => {
    expect(where("metrics.a > 0.5").sql).toContain(`"latest_metrics"."value" > $2 and "latest_metrics"."value" <> 'NaN'::float8`);
    expect(where("metrics.a != 0.5").sql).not.toContain("NaN");
  });

  it("compares integer attributes as doubles, and run ids with IN lists", () => {
    expect(where("start_time >= 1.5").sql).toContain(`"runs"."start_time" >= cast($1 as double precision)`);
    const { sql, params } = where("run_id NOT IN ('a', 'b')");
    expect(sql).toBe(`"runs"."run_id" not in ($1, $2)`);
    expect(params).toEqual(["a", "b"]);
  });

  it("reaches dataset names and contexts through the run's inputs", () => {
    expect(where("dataset.name = 'd'").sql).toMatch(/exists \(select 1 from "run_inputs" inner join "datasets"/);
    const context = where("dataset.context IN ('train', 'eval')");
    expect(context.sql).toContain("jsonb_array_elements");
    expect(context.params).toEqual(["mlflow.data.context", "train", "eval"]);
  });
});

describe("compileRunSearch", () => {
  const compile = (filter: string, orderBy: string[], experiments = 1) =>
    compileRunSearch(parseRunFilter(filter), parseRunOrderBy(orderBy), experiments).map((segment) => ({
      joins: segment.joins.map((j) => `${j.inner ? "inner" : "left"} ${render(j.on).sql}`),
      where: segment.where.map((w) => render(w).sql),
      orderBy: segment.orderBy.map((o) => render(o).sql),
    }));

  it("splits a sort on a metric into runs with a number, with NaN, and without the metric, each index-ordered", () => {
    const [numbers, nans, missing, ...more] = compile("", ["metrics.acc DESC", "params.lr"]);
    expect(more).toEqual([]);
    expect(numbers?.joins[0]).toBe(
      `inner "order_0"."run_id" = "runs"."run_id" and "order_0"."experiment_id" = "runs"."experiment_id" and "order_0"."key" = $1 and "order_0"."value" <> 'NaN'::float8`,
    );
    expect(numbers?.orderBy).toEqual([
      `"order_0"."value" desc`,
      `case when "order_1"."value" is null then 1 else 0 end`,
      `"order_1"."value" asc`,
      `"runs"."start_time" desc`,
      `"runs"."run_id" asc`,
    ]);
    expect(nans?.joins[0]).toMatch(/"order_0"."value" = 'NaN'::float8$/);
    expect(missing?.joins).toEqual([`left "order_1"."run_id" = "runs"."run_id" and "order_1"."key" = $1`]);
    expect(missing?.where).toEqual([
      `not exists (select 1 from "latest_metrics" where "latest_metrics"."run_id" = "runs"."run_id" and "latest_metrics"."key" = $1)`,
    ]);
  });

  it("sorts in one query when other filters or several experiments could make the index walk long", () => {
    for (const [filter, experiments] of [
      ["params.p = 'x'", 1],
      ["metrics.loss < 1", 1],
      ["", 2],
    ] as const) {
      const segments = compile(filter, ["metrics.acc DESC"], experiments);
      expect(segments).toHaveLength(1);
      expect(segments[0]?.joins[0]).toMatch(/^left /);
      expect(segments[0]?.orderBy[0]).toBe(
        `case when "order_0"."value" is null then 2 when "order_0"."value" = 'NaN'::float8 then 1 else 0 end`,
      );
    }
  });

  it("folds a filter on the sorted metric into its join: one segment, or two when NaN can pass (!=)", () => {
    const filtered = compile("metrics.acc > 0.5", ["metrics.acc DESC"]);
    expect(filtered).toHaveLength(1);
    expect(filtered[0]?.joins[0]).toMatch(/and "order_0"."value" > \$2 and "order_0"."value" <> 'NaN'::float8$/);
    expect(filtered[0]?.where).toEqual([]);
    expect(compile("metrics.acc != 0.5", ["metrics.acc"])).toHaveLength(2);
  });

  it("sorts other keys in one query, missing values last, then start_time DESC and run_id", () => {
    const [only, ...more] = compile("", ["tags.t DESC", "end_time"]);
    expect(more).toEqual([]);
    expect(only?.orderBy).toEqual([
      `case when "order_0"."value" is null then 1 else 0 end`,
      `"order_0"."value" desc`,
      `case when "runs"."end_time" is null then 1 else 0 end`,
      `"runs"."end_time" asc`,
      `"runs"."start_time" desc`,
      `"runs"."run_id" asc`,
    ]);
    expect(compile("", ["start_time ASC"])[0]?.orderBy).toEqual([`"runs"."start_time" asc`, `"runs"."run_id" asc`]);
    expect(compile("", [])[0]?.orderBy).toEqual([`"runs"."start_time" desc`, `"runs"."run_id" asc`]);
  });
});

describe("windowPlan", () => {
  const plan = (filter: string, orderBy: string[], experiments = 1) =>
    windowPlan(parseRunFilter(filter), parseRunOrderBy(orderBy), experiments);

  it("applies to a metric sort in one experiment with filters on something else", () => {
    const found = plan("params.p = 'x' and metrics.acc > 0.1", ["metrics.acc DESC", "params.lr"]);
    expect(found).toMatchObject({ key: "acc", ascending: false, onKey: [{ kind: "metric", key: "acc", op: ">", value: 0.1 }] });
    expect(found?.others.map((o) => render(o).sql)).toEqual([expect.stringMatching(/^exists \(select 1 from "run_params"/)]);
    expect(found?.rest.orderBy.map((o) => render(o).sql).at(-1)).toBe(`"runs"."run_id" asc`);
  });

  it("does not apply when the segmented walk or a plain sort fits better", () => {
    expect(plan("metrics.acc > 0.1", ["metrics.acc DESC"])).toBeUndefined();
    expect(plan("params.p = 'x'", ["params.p"])).toBeUndefined();
    expect(plan("params.p = 'x'", ["metrics.acc"], 2)).toBeUndefined();
  });
});
