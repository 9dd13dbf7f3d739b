import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { newItem, type NewItem } from "./schemas";

/**
 * A promptfoo config's `tests` as dataset items: each test's `vars` become the input's variables
 * (a var holding a list expands into one item per value, as promptfoo does), its `assert` the
 * item's assertions (after `defaultTest.assert`), `vars.context` the reference context, and its
 * `description` a tag. Tests loaded from other files (`file://…`) cannot be read from an upload.
 */

const test = z
  .object({
    description: z.string().optional(),
    vars: z.record(z.string(), z.unknown()).default({}),
    assert: z.array(z.record(z.string(), z.unknown())).default([]),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

const config = z
  .object({
    tests: z.union([z.array(z.union([test, z.string()])), z.string()]).optional(),
    defaultTest: z
      .object({ assert: z.array(z.record(z.string(), z.unknown())).default([]) })
      .passthrough()
      .optional(),
  })
  .passthrough();

export interface PromptfooTestsResult {
  items: NewItem[];
  errors: { test: number; message: string }[];
}

/** Cartesian product of list-valued vars (promptfoo's expansion). */
function expandVars(vars: Record<string, unknown>): Record<string, unknown>[] {
  return Object.entries(vars).reduce<Record<string, unknown>[]>(
    (acc, [key, value]) =>
      Array.isArray(value) ? acc.flatMap((v) => value.map((x) => ({ ...v, [key]: x }))) : acc.map((v) => ({ ...v, [key]: value })),
    [{}],
  );
}

export function itemsFromPromptfooConfig(text: string): PromptfooTestsResult {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new Error(`The promptfoo config is not valid YAML or JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = config.safeParse(raw);
  if (!parsed.success)
    throw new Error(`Not a promptfoo config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const { tests, defaultTest } = parsed.data;
  if (tests === undefined) throw new Error("The promptfoo config has no `tests`");
  if (typeof tests === "string") throw new Error(`tests are loaded from ${tests}: upload that file as CSV or JSONL instead`);
  const items: NewItem[] = [];
  const errors: PromptfooTestsResult["errors"] = [];
  tests.forEach((t, index) => {
    if (typeof t === "string") {
      errors.push({ test: index + 1, message: `test ${index + 1} is loaded from ${t}: upload that file instead` });
      return;
    }
    for (const vars of expandVars(t.vars)) {
      const result = newItem.safeParse({
        input: { variables: vars },
        context: typeof vars.context === "string" ? vars.context : undefined,
        assertions: [...(defaultTest?.assert ?? []), ...t.assert],
        tags: t.description ? { description: t.description } : undefined,
      });
      if (result.success) items.push(result.data);
      else errors.push({ test: index + 1, message: result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    }
  });
  return { items, errors };
}
