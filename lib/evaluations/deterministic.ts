import Ajv from "ajv";
import { distance } from "fastest-levenshtein";
import { rougeL, rougeN } from "./text-similarity";
import type { DeterministicType } from "./evaluator-spec";

/** What an evaluator sees of one answered item. */
export interface EvalSubject {
  output: string;
  toolCalls: { name: string; arguments: string }[];
  expected: string | null;
  context: string | null;
  /** The item's input as one text (its variables, else its last message): the "question". */
  question: string;
  latencyMs: number;
  cost: number;
}

export interface Verdict {
  pass: boolean;
  score: number;
  reason: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const verdict = (pass: boolean, reason: string, score = pass ? 1 : 0): Verdict => ({ pass, score, reason });

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** JSON objects or arrays inside text (as promptfoo's contains-json finds them): each balanced {…}/[…] that parses. */
export function jsonInText(text: string): unknown[] {
  const found: unknown[] = [];
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== "{" && open !== "[") continue;
    const close = open === "{" ? "}" : "]";
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) {
        const parsed = parseJson(text.slice(start, i + 1));
        if (parsed.ok) {
          found.push(parsed.value);
          start = i;
        }
        break;
      }
    }
  }
  return found;
}

function schemaCheck(value: unknown, schema: unknown): string | undefined {
  if (schema === undefined || schema === null) return undefined;
  const validate = ajv.compile(typeof schema === "string" ? (JSON.parse(schema) as object) : (schema as object));
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  return v;
}

/** One deterministic check, before any `not-` inversion. `value` defaults to the item's expected output where that makes sense. */
export function runDeterministic(type: DeterministicType, value: unknown, threshold: number | undefined, s: EvalSubject): Verdict {
  const text = (value ?? s.expected ?? "") as unknown;
  const str = typeof text === "string" ? text : JSON.stringify(text);
  switch (type) {
    case "equals": {
      if (typeof text === "object" || (value === undefined && s.expected !== null && parseJson(s.expected).ok && parseJson(s.output).ok)) {
        const expected = typeof text === "object" ? text : parseJson(str).ok ? JSON.parse(str) : str;
        const got = parseJson(s.output);
        return verdict(got.ok && deepEqual(got.value, expected), got.ok ? "JSON compared" : "output is not JSON");
      }
      return verdict(s.output === str, s.output === str ? "equal" : `expected "${clip(str)}", got "${clip(s.output)}"`);
    }
    case "contains":
      return verdict(s.output.includes(str), `${s.output.includes(str) ? "contains" : "does not contain"} "${clip(str)}"`);
    case "icontains":
      return verdict(s.output.toLowerCase().includes(str.toLowerCase()), `case-insensitive search for "${clip(str)}"`);
    case "contains-any":
    case "icontains-any":
    case "contains-all":
    case "icontains-all": {
      const fold = type.startsWith("i") ? (x: string) => x.toLowerCase() : (x: string) => x;
      const wanted = list(value);
      const missing = wanted.filter((w) => !fold(s.output).includes(fold(w)));
      const pass = type.endsWith("any") ? missing.length < wanted.length : missing.length === 0;
      return verdict(pass, missing.length ? `missing ${missing.map((m) => `"${clip(m)}"`).join(", ")}` : "all found");
    }
    case "starts-with":
      return verdict(s.output.startsWith(str), `starts-with "${clip(str)}"`);
    case "regex": {
      const ok = new RegExp(String(value)).test(s.output);
      return verdict(ok, `${ok ? "matches" : "does not match"} /${String(value)}/`);
    }
    case "is-json": {
      const got = parseJson(s.output);
      if (!got.ok) return verdict(false, "output is not valid JSON");
      const problem = schemaCheck(got.value, value);
      return verdict(!problem, problem ? `schema: ${problem}` : "valid JSON");
    }
    case "contains-json": {
      const found = jsonInText(s.output);
      if (!found.length) return verdict(false, "no JSON in the output");
      const ok = found.some((f) => !schemaCheck(f, value));
      return verdict(ok, ok ? "contains valid JSON" : `schema: ${schemaCheck(found[0], value)}`);
    }
    case "levenshtein": {
      const d = distance(s.output, str);
      const max = threshold ?? 5;
      return verdict(d <= max, `distance ${d} (at most ${max})`);
    }
    case "rouge-n":
    case "rouge-l": {
      const score = type === "rouge-n" ? rougeN(s.output, str) : rougeL(s.output, str);
      const min = threshold ?? 0.75;
      return verdict(score >= min, `${type} ${score.toFixed(3)} (at least ${min})`, score);
    }
    case "tool-call-f1": {
      const expected = new Set(list(value));
      const called = new Set(s.toolCalls.map((c) => c.name));
      const hits = [...called].filter((c) => expected.has(c)).length;
      const precision = called.size ? hits / called.size : 0;
      const recall = expected.size ? hits / expected.size : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      const min = threshold ?? 1;
      return verdict(f1 >= min, `tool-call F1 ${f1.toFixed(3)} (called ${[...called].join(", ") || "none"})`, f1);
    }
    case "latency":
      if (threshold === undefined) throw new Error("latency needs a threshold (milliseconds)");
      return verdict(s.latencyMs <= threshold, `${s.latencyMs} ms (at most ${threshold})`);
    case "cost":
      if (threshold === undefined) throw new Error("cost needs a threshold (US dollars)");
      return verdict(s.cost <= threshold, `$${s.cost.toPrecision(3)} (at most $${threshold})`);
  }
}

const clip = (t: string) => (t.length > 60 ? `${t.slice(0, 57)}…` : t);
