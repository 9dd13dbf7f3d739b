import { describe, expect, it } from "vitest";
import { migrationsTableDdl, parseMigrations, renderDdl } from "./migrations";

const ddl = "CREATE TABLE IF NOT EXISTS t ${ON_CLUSTER} (a UInt8) ENGINE = ${REPLICATED}ReplacingMergeTree(a) ORDER BY a";

describe("ClickHouse migrations", () => {
  it("splits statements at line-ending semicolons and drops comment lines", () => {
    const [m] = parseMigrations([{ file: "0001_first.sql", content: "-- a comment; with a semicolon\nSELECT 1;\nSELECT ';';\n" }]);
    expect(m).toMatchObject({ version: 1, name: "first", statements: ["SELECT 1", "SELECT ';'"] });
    expect(m?.checksum).toMatch(/^[0-9a-f]{16}$/);
  });

  it("orders files by number and rejects gaps, duplicates and bad names", () => {
    const files = [
      { file: "0002_b.sql", content: "SELECT 2;" },
      { file: "0001_a.sql", content: "SELECT 1;" },
    ];
    expect(parseMigrations(files).map((m) => m.name)).toEqual(["a", "b"]);
    expect(() => parseMigrations([{ file: "0002_b.sql", content: "SELECT 2;" }])).toThrow(/without gaps/);
    expect(() => parseMigrations([...files, { file: "0002_c.sql", content: "SELECT 3;" }])).toThrow(/without gaps/);
    expect(() => parseMigrations([{ file: "1_a.sql", content: "SELECT 1;" }])).toThrow(/0001_snake_case/);
  });

  it("renders single-node DDL without cluster clauses", () => {
    expect(renderDdl(ddl, {})).toBe("CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = ReplacingMergeTree(a) ORDER BY a");
  });

  it("renders cluster DDL with ON CLUSTER and Replicated engines", () => {
    expect(renderDdl(ddl, { cluster: "main" })).toBe(
      "CREATE TABLE IF NOT EXISTS t ON CLUSTER main (a UInt8) ENGINE = ReplicatedReplacingMergeTree(a) ORDER BY a",
    );
    expect(migrationsTableDdl({ cluster: "main" })).toMatch(/schema_migrations ON CLUSTER main .*ReplicatedReplacingMergeTree/s);
  });
});
