import { and, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { parseRunFilter, parseRunOrderBy } from "./run-filter";
import { runClauseSql, runOrderSql } from "./run-search-sql";

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

describe("runOrderSql", () => {
  it("puts missing values last and NaN just before them, then start_time DESC and run_id", () => {
    const { joins, orderBy } = runOrderSql(parseRunOrderBy(["metrics.acc DESC", "params.lr"]));
    expect(joins).toHaveLength(2);
    const terms = orderBy.map((t) => render(t).sql);
    expect(terms[0]).toBe(`case when "order_0"."value" is null then 2 when "order_0"."value" = 'NaN'::float8 then 1 else 0 end`);
    expect(terms[1]).toBe(`"order_0"."value" desc`);
    expect(terms[2]).toBe(`case when "order_1"."value" is null then 1 else 0 end`);
    expect(terms.slice(-2)).toEqual([`"runs"."start_time" desc`, `"runs"."run_id" asc`]);
  });

  it("does not add start_time twice when asked to order by it", () => {
    const terms = runOrderSql(parseRunOrderBy(["start_time ASC"])).orderBy.map((t) => render(t).sql);
    expect(terms).toEqual([`case when "runs"."start_time" is null then 1 else 0 end`, `"runs"."start_time" asc`, `"runs"."run_id" asc`]);
  });
});
