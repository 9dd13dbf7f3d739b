import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { NumericOp, StringOp } from "./bind";

/** Operators as SQL: taken from closed enums, so never request text; values are bound parameters. */
export const NUMERIC_SQL: Readonly<Record<NumericOp, SQL>> = {
  "=": sql.raw("="),
  "!=": sql.raw("<>"),
  "<": sql.raw("<"),
  "<=": sql.raw("<="),
  ">": sql.raw(">"),
  ">=": sql.raw(">="),
};

export function compareText(column: PgColumn | SQL, op: StringOp, value: string): SQL {
  switch (op) {
    case "=":
      return sql`${column} = ${value}`;
    case "!=":
      return sql`${column} <> ${value}`;
    case "LIKE":
      return sql`${column} like ${value}`;
    case "ILIKE":
      return sql`${column} ilike ${value}`;
  }
}

/** Integer columns compared with a possibly fractional number: compare as double, never fail a cast. */
export const compareNumber = (column: PgColumn | SQL, op: NumericOp, value: number): SQL =>
  sql`${column} ${NUMERIC_SQL[op]} cast(${value} as double precision)`;
