import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/gateway/config";
import { promptToText } from "@/lib/gateway/templates";
import { servedByVersion } from "./served-by";

const config = parseConfig(`
[providers.dummy]
type = "dummy"

[models.small]
routing = [{ provider = "dummy" }]

[functions.summarize.variants.inline]
model = "small"
prompt_name = "ticket-summary"
user = "Summarise: {{ticket}}"

[functions.summarize.variants.pinned]
model = "small"
prompt = "prompts:/ticket-summary/1"

[functions.summarize.variants.prod]
model = "small"
prompt = "prompts:/ticket-summary@production"

[functions.other.variants.a]
model = "small"
prompt = "prompts:/another@production"
`);

describe("servedByVersion", () => {
  it("finds inline, pinned and alias variants of a prompt", () => {
    const served = servedByVersion(config, {
      name: "ticket-summary",
      versions: [
        { version: 1, text: "v1" },
        { version: 2, text: promptToText({ user: "Summarise: {{ticket}}" }) },
        { version: 3, text: "v3" },
      ],
      aliases: [{ alias: "production", version: 3 }],
    });
    expect(Object.fromEntries(served)).toEqual({
      1: [{ functionName: "summarize", variantName: "pinned", via: "prompts:/ticket-summary/1" }],
      2: [{ functionName: "summarize", variantName: "inline", via: "inline (llmops.toml)" }],
      3: [{ functionName: "summarize", variantName: "prod", via: "prompts:/ticket-summary@production" }],
    });
  });

  it("ignores an alias that points nowhere", () => {
    expect(servedByVersion(config, { name: "ticket-summary", versions: [], aliases: [] }).size).toBe(1);
  });
});
