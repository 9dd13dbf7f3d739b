import { isIPv4, isIPv6 } from "node:net";
import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js";

/**
 * PII detection: candidates found by pattern, then checked by what makes them real — card numbers
 * by Luhn, IBANs by their mod-97 checksum and country length (ibantools), IP addresses by Node's
 * own parser, phone numbers by libphonenumber's metadata (a number must be valid for its country).
 * Overlapping findings are resolved by priority (a secret over a card over a phone number…).
 */

export const PII_KINDS = ["secret", "email", "card", "iban", "ip", "phone"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface Finding {
  /** A built-in kind, or `custom:<name>`. */
  kind: string;
  start: number;
  end: number;
}

export interface DetectOptions {
  kinds?: readonly PiiKind[];
  /** Country assumed for phone numbers written without +CC. */
  defaultCountry?: CountryCode;
  custom?: { name: string; pattern: RegExp }[];
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)/g;
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;
const SECRETS = [
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, Anthropic
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/-]{20,}=*/g,
];

/** Luhn's checksum (ISO/IEC 7812), which every payment card number satisfies. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A pattern's global twin, made once: `matchAll` on a fresh copy per call is what made detection slow. */
const globals = new WeakMap<RegExp, RegExp>();
function globalOf(pattern: RegExp): RegExp {
  if (pattern.global) return pattern;
  let g = globals.get(pattern);
  if (!g) globals.set(pattern, (g = new RegExp(pattern.source, `${pattern.flags}g`)));
  return g;
}

/** Every match of a pattern, as `matchAll` finds them (an empty match steps one character), without copying the RegExp. */
function matches(text: string, pattern: RegExp, kind: string, out: Finding[], valid?: (m: string) => boolean): void {
  const re = globalOf(pattern);
  re.lastIndex = 0;
  try {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (!m[0]) {
        const at = re.lastIndex;
        const unicode = re.unicode || re.flags.includes("v");
        re.lastIndex = unicode && at < text.length && (text.codePointAt(at) ?? 0) > 0xffff ? at + 2 : at + 1;
        continue;
      }
      if (!valid || valid(m[0])) out.push({ kind, start: m.index, end: m.index + m[0].length });
    }
  } finally {
    re.lastIndex = 0;
  }
}

/** Four digits of any script (libphonenumber reads them all), however far apart. */
const FOUR_DIGITS = /\p{Nd}(?:\P{Nd}*\p{Nd}){3}/u;

/** Every SECRETS pattern contains one of these literally. */
const SECRET_PREFIX = /sk-|gh[pousr]_|github_pat_|AKIA|ASIA|xox|AIza|eyJ|PRIVATE KEY|Bearer/;

const PRIORITY: Record<string, number> = { secret: 0, email: 1, card: 2, iban: 3, ip: 4, phone: 5 };

export function detectPii(text: string, options: DetectOptions = {}): Finding[] {
  const kinds = new Set(options.kinds ?? PII_KINDS);
  const found: Finding[] = [];
  // Fast exits: every built-in kind needs a digit, an @ or a known secret prefix; each kind then
  // runs only when the character it cannot do without is there (an @ for an email, a dot for IPv4…).
  const digit = /\d/.test(text);
  const prefix = SECRET_PREFIX.test(text);
  const at = text.includes("@");
  if (digit || at || prefix) {
    if (prefix && kinds.has("secret")) for (const p of SECRETS) matches(text, p, "secret", found);
    if (at && kinds.has("email")) matches(text, EMAIL, "email", found);
    // An IPv6 address may be letters only ("dead::beef"): it needs two colons, not a digit.
    if (kinds.has("ip") && text.includes(":")) matches(text, IPV6, "ip", found, (m) => isIPv6(m));
    if (digit) {
      if (kinds.has("card")) matches(text, CARD, "card", found, (m) => luhn(m.replace(/[ -]/g, "")));
      if (kinds.has("iban")) matches(text, IBAN, "iban", found, (m) => isValidIBAN(electronicFormatIBAN(m) ?? ""));
      if (kinds.has("ip") && text.includes(".")) matches(text, IPV4, "ip", found, (m) => isIPv4(m));
      // libphonenumber is the slow part; no valid number has fewer than 4 digits (Niue's are 4).
      if (kinds.has("phone") && FOUR_DIGITS.test(text))
        for (const p of findPhoneNumbersInText(text, { defaultCountry: options.defaultCountry, extended: false } as never))
          found.push({ kind: "phone", start: p.startsAt, end: p.endsAt });
    }
  }
  for (const c of options.custom ?? []) matches(text, c.pattern, `custom:${c.name}`, found);
  if (!found.length) return found;
  found.sort((a, b) => (PRIORITY[a.kind] ?? 9) - (PRIORITY[b.kind] ?? 9) || a.start - b.start);
  const kept: Finding[] = [];
  for (const f of found) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept.sort((a, b) => a.start - b.start);
}

/** The text with each finding replaced by `[KIND]`, and how many of each kind were found. */
export function maskText(text: string, options: DetectOptions = {}): { text: string; counts: Record<string, number> } {
  const findings = detectPii(text, options);
  if (!findings.length) return { text, counts: {} };
  const counts: Record<string, number> = {};
  let out = "";
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + `[${f.kind.toUpperCase()}]`;
    at = f.end;
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  }
  return { text: out + text.slice(at), counts };
}
