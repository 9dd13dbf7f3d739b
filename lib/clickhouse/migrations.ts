import { createHash } from "node:crypto";

/** One ordered DDL file from db/clickhouse/, e.g. `0001_app_events.sql`. */
export interface ClickHouseMigration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

export interface DdlTarget {
  /** When set, DDL runs `ON CLUSTER` and MergeTree engines become Replicated ones. */
  cluster?: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Parses migration files. Statements are separated by a `;` at the end of a line; `--` comment
 * lines are dropped. Files must be numbered 0001, 0002… with no gaps or duplicates, so that two
 * branches adding the same number collide loudly instead of silently skipping one.
 */
export function parseMigrations(files: { file: string; content: string }[]): ClickHouseMigration[] {
  const migrations = files
    .filter((f) => f.file.endsWith(".sql"))
    .map(({ file, content }) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`ClickHouse migration ${file}: name must look like 0001_snake_case.sql`);
      const statements = content
        .split("\n")
        .filter((line) => !line.trim().startsWith("--"))
        .join("\n")
        .split(/;\s*$/m)
        .map((s) => s.trim())
        .filter(Boolean);
      if (statements.length === 0) throw new Error(`ClickHouse migration ${file} has no statement`);
      return {
        version: Number(match[1]),
        name: match[2] ?? file,
        checksum: createHash("sha256").update(content).digest("hex").slice(0, 16),
        statements,
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`ClickHouse migrations must be numbered 0001, 0002… without gaps; found ${m.version} at position ${i + 1}`);
    }
  });
  return migrations;
}

/**
 * Renders the two placeholders our DDL files may use:
 * `${ON_CLUSTER}` → `ON CLUSTER name` or nothing, and `${REPLICATED}` (written just before a
 * MergeTree-family engine name) → `Replicated` or nothing. Replicated engines take their ZooKeeper
 * path and replica name from the server's default_replica_path/default_replica_name settings.
 */
export function renderDdl(statement: string, target: DdlTarget): string {
  const onCluster = target.cluster ? `ON CLUSTER ${target.cluster}` : "";
  return statement
    .replaceAll("${ON_CLUSTER}", onCluster)
    .replaceAll("${REPLICATED}", target.cluster ? "Replicated" : "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/ {2,}/g, " ");
}

/** DDL for the table that records applied migrations; it is not itself a migration. */
export function migrationsTableDdl(target: DdlTarget): string {
  return renderDdl(
    `CREATE TABLE IF NOT EXISTS schema_migrations \${ON_CLUSTER} (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = \${REPLICATED}ReplacingMergeTree(applied_at)
ORDER BY version`,
    target,
  );
}
