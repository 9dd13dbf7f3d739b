/** Types of tensorzero-migrate.mjs (plain JS so the CLI runs without a build). */
export function migrateTensorZero(
  text: string,
  options?: { dir?: string; readTemplate?: (file: string) => string },
): { toml: string; config: Record<string, Record<string, unknown>>; notes: string[] };
