import { z } from "zod";
import { PII_KINDS } from "@/lib/pii/detect";

/**
 * `[guardrails.NAME]`: named checks, listed by the functions and models they guard:
 *
 * ```toml
 * [guardrails.no_pii]
 * kind = "pii"                 # regex | deny_list | json_schema | max_length | pii | judge | http
 * stage = "both"               # input | output | both
 * mode = "redact"              # block | redact | monitor
 *
 * [functions.support]
 * guardrails = ["no_pii"]
 * [models.gpt]
 * guardrails = ["no_pii"]      # direct calls of the model and every variant that uses it
 * ```
 */

export const GUARDRAIL_MODES = ["block", "redact", "monitor"] as const;
export type GuardrailMode = (typeof GUARDRAIL_MODES)[number];
export const GUARDRAIL_STAGES = ["input", "output", "both"] as const;

const validRegex = (p: string) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
};

const common = {
  stage: z.enum(GUARDRAIL_STAGES).default("both"),
  mode: z.enum(GUARDRAIL_MODES).default("block"),
  description: z.string().default(""),
};

const regexGuardrail = z.strictObject({
  kind: z.literal("regex"),
  ...common,
  pattern: z.string().min(1).refine(validRegex, "not a valid regular expression"),
  /** JavaScript RegExp flags besides `g` (e.g. `i`). */
  flags: z
    .string()
    .regex(/^[imsu]*$/, "flags are i, m, s, u")
    .default(""),
  /** What a redacted match becomes. */
  replacement: z.string().default("[REDACTED]"),
});

const denyListGuardrail = z.strictObject({
  kind: z.literal("deny_list"),
  ...common,
  /** Words or phrases, matched on word boundaries. */
  terms: z.array(z.string().min(1).max(200)).min(1).max(10_000),
  case_sensitive: z.boolean().default(false),
  replacement: z.string().default("[REDACTED]"),
});

const jsonSchemaGuardrail = z.strictObject({
  kind: z.literal("json_schema"),
  ...common,
  stage: z.literal("output").default("output"),
  mode: z.enum(["block", "monitor"]).default("block"),
  schema: z.record(z.string(), z.unknown()),
});

const maxLengthGuardrail = z.strictObject({
  kind: z.literal("max_length"),
  ...common,
  /** Characters of text; `redact` cuts the text there. */
  max_chars: z.number().int().positive(),
});

const piiGuardrail = z.strictObject({
  kind: z.literal("pii"),
  ...common,
  /** Default: `[pii] detectors` (and its custom patterns and country). */
  detectors: z.array(z.enum(PII_KINDS)).optional(),
});

const judgeGuardrail = z
  .strictObject({
    kind: z.literal("judge"),
    ...common,
    mode: z.enum(["block", "monitor"]).default("block"),
    /** The question the judge is asked (its built-in instruction when the judge has no templates). */
    check: z.enum(["prompt_injection", "moderation"]),
    /** A function or a model of this gateway, called internally (tagged `llmops.guardrail_judge`). */
    function: z.string().optional(),
    model: z.string().optional(),
    /** The answer is flagged when it matches (case-insensitive). */
    flag_pattern: z.string().refine(validRegex, "not a valid regular expression").default("^\\W*(yes|flagged|unsafe|injection)\\b"),
    timeout_ms: z.number().int().positive().max(120_000).default(10_000),
    /** When the judge fails or times out: let the text through (`allow`) or block it. */
    on_error: z.enum(["allow", "block"]).default("allow"),
  })
  .refine((g) => (g.function === undefined) !== (g.model === undefined), { message: "a judge names exactly one of `function` or `model`" });

const httpGuardrail = z.strictObject({
  kind: z.literal("http"),
  ...common,
  /** `redact`: the service answers the text to send instead (`{flagged: true, text}`); output only. */
  mode: z.enum(["block", "redact", "monitor"]).default("block"),
  /** POSTed `{guardrail, stage, mode, text, function_name, model_name, inference_id}`; answers `{flagged, reason?, text?}`. */
  url: z.url(),
  timeout_ms: z.number().int().positive().max(60_000).default(1_000),
  on_error: z.enum(["allow", "block"]).default("allow"),
  /** Name of an environment variable whose value is sent as `Authorization: Bearer …`. */
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
});

export const guardrailSchema = z.union([
  regexGuardrail,
  denyListGuardrail,
  jsonSchemaGuardrail,
  maxLengthGuardrail,
  piiGuardrail,
  judgeGuardrail,
  // The input is several pieces (messages, variables) checked as one text: a service's rewrite of the whole cannot be put back piece by piece.
  httpGuardrail.refine((g) => g.mode !== "redact" || g.stage === "output", {
    message: 'an http check redacts answers only: with mode = "redact" set stage = "output"',
    path: ["mode"],
  }),
]);
export type GuardrailConfig = z.infer<typeof guardrailSchema>;
export type GuardrailKind = GuardrailConfig["kind"];

export const guardrailListSchema = z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/, "guardrail names use letters, digits, _ . -")).max(50);

/** Every name a function or model lists is declared; a judge's function does not judge itself. */
export function checkGuardrails(
  config: {
    guardrails: Record<string, GuardrailConfig>;
    functions: Record<string, { guardrails?: string[] }>;
    models: Record<string, { guardrails?: string[]; kind?: string }>;
  },
  issue: (path: (string | number)[], message: string) => void,
): void {
  for (const [kind, owners] of [
    ["functions", config.functions],
    ["models", config.models],
  ] as const) {
    for (const [owner, value] of Object.entries(owners)) {
      value.guardrails?.forEach((g, i) => {
        const declared = config.guardrails[g];
        if (!declared) issue([kind, owner, "guardrails", i], `unknown guardrail "${g}"; declare it as [guardrails.${g}]`);
        else if (declared.kind === "judge" && kind === "functions" && declared.function === owner)
          issue([kind, owner, "guardrails", i], `guardrail "${g}" is judged by this function itself`);
      });
    }
  }
  for (const [name, model] of Object.entries(config.models))
    if (model.kind === "embedding" && model.guardrails?.length)
      issue(["models", name, "guardrails"], "guardrails check chat text; an embedding model cannot list them");
  for (const [g, guardrail] of Object.entries(config.guardrails)) {
    if (guardrail.kind !== "judge") continue;
    if (guardrail.function !== undefined && !config.functions[guardrail.function])
      issue(["guardrails", g, "function"], `unknown function "${guardrail.function}"`);
    if (guardrail.model !== undefined && !config.models[guardrail.model])
      issue(["guardrails", g, "model"], `unknown model "${guardrail.model}"`);
  }
}
