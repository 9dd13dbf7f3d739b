import Ajv from "ajv";
import { detectPii, type DetectOptions } from "@/lib/pii/detect";
import type { GuardrailConfig } from "./config";

/**
 * The checks that run in the process, compiled once per config: each finds spans in a text (what a
 * redaction replaces) or, for JSON schema and length, a whole-text problem. Pure functions, no I/O.
 */

export interface Span {
  start: number;
  end: number;
  replacement: string;
}

export interface LocalFinding {
  /** Empty when the text passes. */
  spans: Span[];
  /** A whole-text problem (too long, not valid against the schema), or undefined. */
  problem?: string;
  /** What was found, for the verdict: counts by kind, never the matched text. */
  detail: string;
}

export interface LocalCheck {
  /** Spans can be masked piecewise, so a stream may release text ahead of the end. */
  spanned: boolean;
  find(text: string): LocalFinding;
  /** The text as `redact` mode sends it. */
  redact(text: string, finding: LocalFinding): string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const PASS: LocalFinding = { spans: [], detail: "" };

export function applySpans(text: string, spans: Span[]): string {
  if (!spans.length) return text;
  let out = "";
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}

function patternCheck(re: RegExp, replacement: string, label: string): LocalCheck {
  return {
    spanned: true,
    find(text) {
      re.lastIndex = 0;
      const found = re.test(text);
      re.lastIndex = 0;
      if (!found) return PASS;
      const spans: Span[] = [];
      for (const m of text.matchAll(re)) if (m[0]) spans.push({ start: m.index, end: m.index + m[0].length, replacement });
      return spans.length ? { spans, detail: `${label}:${spans.length}` } : PASS;
    },
    redact: (text, finding) => applySpans(text, finding.spans),
  };
}

/** Compiles a local check; undefined for the remote kinds (judge, http). */
export function compileLocal(guardrail: GuardrailConfig, pii: DetectOptions): LocalCheck | undefined {
  switch (guardrail.kind) {
    case "regex":
      return patternCheck(new RegExp(guardrail.pattern, `${guardrail.flags.replace("g", "")}g`), guardrail.replacement, "match");
    case "deny_list": {
      const words = [...guardrail.terms].sort((a, b) => b.length - a.length).map(escape);
      const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.join("|")})(?![\\p{L}\\p{N}_])`, guardrail.case_sensitive ? "gu" : "giu");
      return patternCheck(re, guardrail.replacement, "term");
    }
    case "max_length":
      return {
        spanned: false,
        find: (text) =>
          text.length > guardrail.max_chars
            ? { spans: [], problem: `too long`, detail: `${text.length} chars > ${guardrail.max_chars}` }
            : PASS,
        redact: (text) => text.slice(0, guardrail.max_chars),
      };
    case "pii": {
      const options: DetectOptions = { ...pii, kinds: guardrail.detectors ?? pii.kinds };
      return {
        spanned: true,
        find(text) {
          const found = detectPii(text, options);
          if (!found.length) return PASS;
          const counts: Record<string, number> = {};
          for (const f of found) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
          return {
            spans: found.map((f) => ({ start: f.start, end: f.end, replacement: `[${f.kind.toUpperCase()}]` })),
            detail: Object.entries(counts)
              .map(([k, n]) => `${k}:${n}`)
              .join(","),
          };
        },
        redact: (text, finding) => applySpans(text, finding.spans),
      };
    }
    case "json_schema": {
      const validate = ajv.compile(guardrail.schema);
      return {
        spanned: false,
        find(text) {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            return { spans: [], problem: "not JSON", detail: "the output is not valid JSON" };
          }
          if (validate(value)) return PASS;
          const why = ajv.errorsText(validate.errors, { separator: "; " }).slice(0, 300);
          return { spans: [], problem: "schema", detail: `JSON schema: ${why}` };
        },
        redact: (text) => text,
      };
    }
    case "judge":
    case "http":
      return undefined;
  }
}

export function flagged(finding: LocalFinding): boolean {
  return finding.spans.length > 0 || finding.problem !== undefined;
}
