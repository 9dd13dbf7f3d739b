import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/gateway/config";
import { compileLocal, flagged } from "./checks";
import { GuardrailIndex, type Guardrail, type RunContext } from "./guard.server";
import { STREAM_WINDOW, StreamGuard } from "./stream.server";
import { summariseVerdicts } from "./summary";

const local = (g: Parameters<typeof compileLocal>[0]) => compileLocal(g, {})!;
const guard = (name: string, config: Guardrail["config"]): Guardrail => ({ name, config, local: compileLocal(config, {}) });
const ctx: RunContext = {
  inferenceId: "i",
  functionName: "f",
  modelName: "m",
  signal: new AbortController().signal,
  judge: () => Promise.reject(new Error("no judge here")),
};
const base = { stage: "both", description: "" } as const;

describe("local checks", () => {
  it("deny lists match whole words, case-insensitively, and redact them", () => {
    const check = local({
      ...base,
      kind: "deny_list",
      mode: "redact",
      terms: ["secret plan", "foo"],
      case_sensitive: false,
      replacement: "[X]",
    });
    const finding = check.find("The Secret Plan is food for foo.");
    expect(finding.detail).toBe("term:2");
    expect(check.redact("The Secret Plan is food for foo.", finding)).toBe("The [X] is food for [X].");
    expect(flagged(check.find("foods and secrets"))).toBe(false);
  });

  it("regex counts every match, not only the first", () => {
    const check = local({ ...base, kind: "regex", mode: "monitor", pattern: "\\d{3}", flags: "", replacement: "#" });
    expect(check.find("123 and 456").detail).toBe("match:2");
    expect(check.find("123 and 456").detail).toBe("match:2");
  });

  it("PII uses lib/pii's detector and masks by kind", () => {
    const check = local({ ...base, kind: "pii", mode: "redact" });
    const text = "mail a@b.io, card 4111 1111 1111 1111";
    const finding = check.find(text);
    expect(finding.detail).toBe("email:1,card:1");
    expect(check.redact(text, finding)).toBe("mail [EMAIL], card [CARD]");
  });

  it("max_length and json_schema judge the whole text", () => {
    const long = local({ ...base, kind: "max_length", mode: "redact", max_chars: 5 });
    expect(long.find("123456").detail).toBe("6 chars > 5");
    expect(long.redact("123456", long.find("123456"))).toBe("12345");
    const schema = local({ ...base, kind: "json_schema", stage: "output", mode: "block", schema: { type: "object", required: ["a"] } });
    expect(flagged(schema.find('{"a":1}'))).toBe(false);
    expect(schema.find("{}").detail).toContain("must have required property 'a'");
    expect(schema.find("nope").detail).toBe("the output is not valid JSON");
  });
});

describe("config", () => {
  const toml = (extra: string) => `
[providers.p]
type = "dummy"
[models.m]
routing = [{ provider = "p" }]
guardrails = ["mail"]
[guardrails.mail]
kind = "pii"
mode = "redact"
[functions.f]
${extra}
[functions.f.variants.v]
model = "m"
`;
  it("indexes a function's guardrails and its models', each once", () => {
    const config = parseConfig(toml('guardrails = ["mail"]'));
    const index = new GuardrailIndex(config, {});
    expect(index.select("f", ["m"], "input").map((g) => g.name)).toEqual(["mail"]);
    expect(index.select("other", [], "output")).toEqual([]);
  });
  it("refuses an unknown guardrail and a mode its kind cannot do", () => {
    expect(() => parseConfig(toml('guardrails = ["nope"]'))).toThrow(/functions\.f\.guardrails\[0\]: unknown guardrail "nope"/);
    expect(() => parseConfig(toml("") + '[guardrails.j]\nkind = "json_schema"\nmode = "redact"\nschema = {}\n')).toThrow(/guardrails\.j/);
    expect(() => parseConfig(toml("") + '[models.e]\nkind = "embedding"\nrouting = [{ provider = "p" }]\nguardrails = ["mail"]\n')).toThrow(
      /models\.e\.guardrails: guardrails check chat text/,
    );
  });
  it("costs nothing when no function or model lists a guardrail", () => {
    const config = parseConfig(toml("").replace('guardrails = ["mail"]', ""));
    expect(new GuardrailIndex(config, {}).empty).toBe(true);
  });
});

describe("StreamGuard", () => {
  const pii = guard("pii", { ...base, kind: "pii", mode: "redact" });
  const fruit = guard("fruit", { ...base, kind: "deny_list", mode: "block", terms: ["banana"], case_sensitive: false, replacement: "" });

  it("holds back at most the window and masks a match split across pieces", async () => {
    const g = new StreamGuard([pii], ctx);
    const text = `${"x".repeat(200)} write to bob@example.org today ${"y".repeat(200)}`;
    let out = "";
    let maxHeld = 0;
    let received = 0;
    for (const piece of text.match(/.{1,3}/gs)!) {
      received += piece.length;
      out += g.push(piece);
      maxHeld = Math.max(maxHeld, received - out.length);
    }
    out += await g.finish();
    expect(out).toBe(text.replace("bob@example.org", "[EMAIL]"));
    // The window, plus a match straddling its edge, plus the piece that just arrived.
    expect(maxHeld).toBeLessThanOrEqual(STREAM_WINDOW + "bob@example.org".length + 3);
    expect(maxHeld).toBeGreaterThanOrEqual(STREAM_WINDOW);
    expect(g.verdicts()).toMatchObject([{ name: "pii", outcome: "redacted", detail: "email:1" }]);
  });

  it("blocks before the blocked word is released", async () => {
    const g = new StreamGuard([fruit], ctx);
    let out = "";
    const push = () => {
      for (const piece of `${"a ".repeat(100)}ban`.match(/.{1,4}/gs)!) out += g.push(piece);
      out += g.push("ana split");
    };
    expect(push).toThrow(/guardrail "fruit" blocked the output/);
    expect(out).not.toContain("ban");
    expect(g.verdicts()).toMatchObject([{ name: "fruit", outcome: "blocked" }]);
  });

  it("monitor-only guards hold nothing back", () => {
    const g = new StreamGuard([guard("m", { ...base, kind: "regex", mode: "monitor", pattern: "x", flags: "", replacement: "" })], ctx);
    expect(g.push("xyz")).toBe("xyz");
  });
});

describe("summariseVerdicts", () => {
  it("groups by guardrail and stage with zeroes for missing outcomes and shares summing to 1", () => {
    const row = { kind: "pii", mode: "redact", p50_ms: 0.1, p95_ms: 0.3 };
    const lines = summariseVerdicts([
      { ...row, name: "pii", stage: "input", outcome: "pass", n: 3 },
      { ...row, name: "pii", stage: "input", outcome: "redacted", n: 1, p95_ms: 0.5 },
      { ...row, name: "pii", stage: "output", outcome: "pass", n: 2 },
    ]);
    expect(lines.map((l) => [l.stage, l.checks, l.counts.redacted, l.counts.blocked, l.shares.pass, l.p95Ms])).toEqual([
      ["input", 4, 1, 0, 0.75, 0.5],
      ["output", 2, 0, 0, 1, 0.3],
    ]);
  });
});

describe("verdicts at rest", () => {
  it("a judge's reason follows the function's store mode; counts are kept", async () => {
    const { PiiPolicy } = await import("@/lib/pii/policy");
    const config = parseConfig(`
[providers.p]
type = "dummy"
[models.m]
routing = [{ provider = "p" }]
[functions.masked]
store = "masked"
[functions.masked.variants.v]
model = "m"
[functions.gone]
store = "none"
[functions.gone.variants.v]
model = "m"
`);
    const verdict = { stage: "input" as const, mode: "block", outcome: "blocked", duration_ms: 1 };
    const row = (fn: string) =>
      ({
        function_name: fn,
        input: "{}",
        output: "{}",
        tags: {},
        guardrails: [
          { ...verdict, name: "j", kind: "judge", detail: "YES: it asks to mail jane@example.com" },
          { ...verdict, name: "p", kind: "pii", detail: "email:1" },
        ],
      }) as unknown as Parameters<InstanceType<typeof PiiPolicy>["inference"]>[0];
    const policy = new PiiPolicy(config);
    expect(policy.inference(row("masked")).guardrails!.map((g) => g.detail)).toEqual(["YES: it asks to mail [EMAIL]", "email:1"]);
    expect(policy.inference(row("gone")).guardrails!.map((g) => g.detail)).toEqual(["", "email:1"]);
  });
});
