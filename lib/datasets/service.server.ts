import "server-only";
import { z } from "zod";
import { BadRequestError } from "@/lib/http/errors";
import { itemsFromPromptfooConfig } from "./promptfoo";
import { datasetName, type DatasetSource, type DatasetVersionInfo, type NewItem } from "./schemas";
import { createDatasetVersion, type DatasetsContext, type StoredItemInput } from "./store.server";
import { buildItems, columnMapping, guessMapping, parseUpload, UPLOAD_FORMATS, type RowError } from "./upload";

/** The datasets service verbs the routes call: each parses its input again. */

export const toStored = (item: NewItem): StoredItemInput => ({
  inferenceId: item.inference_id ?? null,
  input: JSON.stringify(item.input),
  expectedOutput: item.expected_output ?? null,
  context: item.context ?? null,
  assertions: item.assertions ?? [],
  tags: item.tags ?? {},
});

export function createFromItems(ctx: DatasetsContext, input: { name: string; items: NewItem[]; source: DatasetSource }) {
  return createDatasetVersion(ctx, { name: datasetName.parse(input.name), items: input.items.map(toStored), source: input.source });
}

export const uploadInput = z.object({
  format: z.enum(UPLOAD_FORMATS),
  text: z.string().max(50 * 1024 * 1024),
  fileName: z.string().max(300).optional(),
  mapping: columnMapping.optional(),
});

export const uploadPreviewReply = z.object({
  columns: z.array(z.string()),
  mapping: columnMapping,
  rows: z.number(),
  valid: z.number(),
  sample: z.array(z.unknown()),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});

/** What an upload would give: columns, the mapping used (guessed unless given), sample items and every row error. */
export function previewUpload(raw: z.input<typeof uploadInput>): z.infer<typeof uploadPreviewReply> {
  const input = uploadInput.parse(raw);
  const parsed = parseUpload(input.format, input.text);
  const mapping = input.mapping ?? guessMapping(input.format, parsed.columns);
  const { items, errors } = buildItems(parsed, mapping);
  return {
    columns: parsed.columns,
    mapping,
    rows: parsed.rows.length,
    valid: items.length,
    sample: items.slice(0, 20),
    errors: errors.slice(0, 500),
  };
}

/** Saves an upload as a version; any bad row refuses the whole file, naming the rows at fault. */
export async function createFromUpload(
  ctx: DatasetsContext,
  raw: z.input<typeof uploadInput> & { name: string },
): Promise<DatasetVersionInfo> {
  const input = uploadInput.parse(raw);
  const parsed = parseUpload(input.format, input.text);
  const mapping = input.mapping ?? guessMapping(input.format, parsed.columns);
  const { items, errors } = buildItems(parsed, mapping);
  if (errors.length) throw new BadRequestError(rowErrorsMessage(errors), { errors: errors.slice(0, 500) });
  if (!items.length) throw new BadRequestError("The file has no rows");
  return createFromItems(ctx, { name: raw.name, items, source: { kind: "upload", format: input.format, fileName: input.fileName } });
}

function rowErrorsMessage(errors: RowError[]): string {
  const shown = errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`);
  return `${errors.length} row${errors.length === 1 ? "" : "s"} cannot be read (${shown.join("; ")}${errors.length > 5 ? "; …" : ""})`;
}

export async function createFromPromptfoo(ctx: DatasetsContext, input: { name: string; config: string }): Promise<DatasetVersionInfo> {
  let found: ReturnType<typeof itemsFromPromptfooConfig>;
  try {
    found = itemsFromPromptfooConfig(input.config);
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
  if (found.errors.length) {
    throw new BadRequestError(found.errors.map((e) => `test ${e.test}: ${e.message}`).join("; "), { errors: found.errors });
  }
  if (!found.items.length) throw new BadRequestError("The promptfoo config's tests are empty");
  return createFromItems(ctx, { name: input.name, items: found.items, source: { kind: "promptfoo" } });
}

/** A new version holding the latest version's items and then `items` (a new dataset when there is none): "save as dataset item". */
export function appendItems(ctx: DatasetsContext, input: { name: string; items: NewItem[] }) {
  return createDatasetVersion(ctx, {
    name: datasetName.parse(input.name),
    items: input.items.map(toStored),
    source: { kind: "api" },
    append: true,
  });
}
