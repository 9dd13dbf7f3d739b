import { describe, expect, it } from "vitest";
import { LOOK_ALIKES, TRUE_POSITIVES } from "./corpus";
import { detectPii, luhn, maskText, type DetectOptions } from "./detect";

const options: DetectOptions = { defaultCountry: "US", custom: [{ name: "employee_id", pattern: /\bEMP-\d{6}\b/ }] };

describe("PII detection", () => {
  it("finds the corpus' PII with precision and recall above 0.95", () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const c of TRUE_POSITIVES) {
      const found = detectPii(c.text, options).map((f) => ({ kind: f.kind, value: c.text.slice(f.start, f.end) }));
      for (const want of c.pii) {
        if (found.some((f) => f.kind === want.kind && f.value === want.value)) tp++;
        else {
          fn++;
          misses.push(`missed ${want.kind} "${want.value}" in "${c.text}" (found ${JSON.stringify(found)})`);
        }
      }
      for (const f of found)
        if (!c.pii.some((w) => w.kind === f.kind && w.value === f.value)) {
          fp++;
          misses.push(`extra ${f.kind} "${f.value}" in "${c.text}"`);
        }
    }
    for (const text of LOOK_ALIKES) {
      for (const f of detectPii(text, options)) {
        fp++;
        misses.push(`false positive ${f.kind} "${text.slice(f.start, f.end)}" in "${text}"`);
      }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      `PII corpus: ${tp} true positives, ${fp} false positives, ${fn} missed; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    if (misses.length) console.log(misses.join("\n"));
    expect(tp + fn).toBe(TRUE_POSITIVES.reduce((s, c) => s + c.pii.length, 0));
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it("masks each finding with its kind and counts them", () => {
    expect(maskText("mail ann@corp.io or call +44 20 7946 0958", options)).toEqual({
      text: "mail [EMAIL] or call [PHONE]",
      counts: { email: 1, phone: 1 },
    });
    expect(maskText("nothing here", options)).toEqual({ text: "nothing here", counts: {} });
  });

  it("checks Luhn like ISO/IEC 7812", () => {
    expect(luhn("4111111111111111")).toBe(true);
    expect(luhn("4111111111111112")).toBe(false);
    expect(luhn("79927398713")).toBe(true);
  });
});
