import type { GatewayConfig } from "@/lib/gateway/config";
import type { InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import type { StoreMode } from "./config";
import { maskText, type DetectOptions } from "./detect";

/** Tags an inference row carries when its bodies were not stored as sent: `masked` or `none`, and what was found. */
export const PII_TAGS = { store: "llmops.pii", found: "llmops.pii_found" } as const;

export const EMPTY_INPUT = '{"messages":[]}';
export const EMPTY_OUTPUT = '{"content":null}';

/** Masks every string inside a JSON value. */
function maskJson(value: unknown, options: DetectOptions, counts: Record<string, number>): unknown {
  if (typeof value === "string") {
    const masked = maskText(value, options);
    for (const [k, n] of Object.entries(masked.counts)) counts[k] = (counts[k] ?? 0) + n;
    return masked.text;
  }
  if (Array.isArray(value)) return value.map((v) => maskJson(v, options, counts));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, options, counts)]));
  return value;
}

/**
 * Masks a stored body: JSON is parsed and each string masked (so the JSON stays valid); a body that
 * is not JSON (a request clipped at 64 KiB) is masked as text, which only swaps spans for `[KIND]`.
 */
export function maskBody(body: string, options: DetectOptions, counts: Record<string, number> = {}): string {
  if (!body) return body;
  try {
    return JSON.stringify(maskJson(JSON.parse(body), options, counts));
  } catch {
    const masked = maskText(body, options);
    for (const [k, n] of Object.entries(masked.counts)) counts[k] = (counts[k] ?? 0) + n;
    return masked.text;
  }
}

/** What the recorder stores per function: bodies as sent, masked, or not at all; cache rows only for `full`. */
export class PiiPolicy {
  readonly options: DetectOptions;

  constructor(private readonly config: GatewayConfig) {
    const pii = config.pii;
    this.options = {
      kinds: pii.detectors,
      defaultCountry: pii.default_country as DetectOptions["defaultCountry"],
      custom: Object.entries(pii.custom).map(([name, pattern]) => ({ name, pattern: new RegExp(pattern, "g") })),
    };
  }

  modeOf(functionName: string): StoreMode {
    return this.config.functions[functionName]?.store ?? this.config.pii.default_store;
  }

  /** True when some function (or the default) stores less than everything. */
  get active(): boolean {
    return this.config.pii.default_store !== "full" || Object.values(this.config.functions).some((f) => f.store && f.store !== "full");
  }

  inference(row: InferenceRow): InferenceRow {
    const mode = this.modeOf(row.function_name);
    if (mode === "full") return row;
    if (mode === "none")
      return {
        ...row,
        ...this.verdicts(row, mode),
        input: EMPTY_INPUT,
        output: EMPTY_OUTPUT,
        tags: { ...row.tags, [PII_TAGS.store]: "none" },
      };
    const counts: Record<string, number> = {};
    const input = maskBody(row.input, this.options, counts);
    const output = maskBody(row.output, this.options, counts);
    const found = Object.entries(counts)
      .map(([k, n]) => `${k}:${n}`)
      .join(",");
    return {
      ...row,
      ...this.verdicts(row, mode),
      input,
      output,
      tags: { ...row.tags, [PII_TAGS.store]: "masked", ...(found ? { [PII_TAGS.found]: found } : {}) },
    };
  }

  /** Guardrail verdicts: a judge's or service's reason may quote the text, so it follows the body's mode. */
  private verdicts(row: InferenceRow, mode: "masked" | "none"): Pick<InferenceRow, "guardrails"> {
    if (!row.guardrails?.length) return {};
    return {
      guardrails: row.guardrails.map((g) =>
        g.kind === "judge" || g.kind === "http" ? { ...g, detail: mode === "none" ? "" : maskText(g.detail, this.options).text } : g,
      ),
    };
  }

  modelCall(row: ModelCallRow): ModelCallRow {
    const mode = this.modeOf(row.function_name);
    if (mode === "full") return row;
    if (mode === "none") return { ...row, request: "", response: "" };
    return { ...row, request: maskBody(row.request, this.options), response: maskBody(row.response, this.options) };
  }

  /** Text kept in Postgres copies (evaluation outputs) under the function's mode. */
  text(functionName: string, text: string): string {
    const mode = this.modeOf(functionName);
    return mode === "full" ? text : mode === "none" ? "" : maskText(text, this.options).text;
  }
}
