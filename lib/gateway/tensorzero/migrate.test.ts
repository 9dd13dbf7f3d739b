import { describe, expect, it } from "vitest";
import { migrateTensorZero } from "../../../bin/tensorzero-migrate.mjs";
import { parseConfig } from "../config";

const TENSORZERO_TOML = `
[gateway]
bind_address = "0.0.0.0:3000"

[models.gpt-4o-mini]
routing = ["openai", "backup"]

[models.gpt-4o-mini.providers.openai]
type = "openai"
model_name = "gpt-4o-mini"

[models.gpt-4o-mini.providers.backup]
type = "azure"
deployment_id = "x"

[models.claude]
routing = ["anthropic"]

[models.claude.providers.anthropic]
type = "anthropic"
model_name = "claude-sonnet-4"
api_key_location = "env::MY_ANTHROPIC_KEY"

[functions.draft_email]
type = "chat"
user_schema = "functions/draft_email/user_schema.json"

[functions.draft_email.variants.prompt_v1]
type = "chat_completion"
model = "gpt-4o-mini"
weight = 0.7
system_template = "functions/draft_email/system.minijinja"
user_template = "functions/draft_email/user.minijinja"
temperature = 0.5
max_tokens = 300
stop_sequences = ["END"]

[functions.draft_email.variants.claude_v1]
type = "chat_completion"
model = "claude"
weight = 0.3

[functions.draft_email.variants.best_of]
type = "experimental_best_of_n_sampling"
candidates = ["prompt_v1", "claude_v1"]

[functions.extract.variants.fast]
type = "chat_completion"
model = "openai::gpt-4o-mini-2024-07-18"
json_mode = "strict"

[functions.extract]
type = "json"
output_schema = "functions/extract/output_schema.json"

[metrics.draft_accepted]
type = "boolean"
optimize = "max"
level = "inference"

[metrics.user_rating]
type = "float"
level = "episode"

[metrics.notes]
type = "comment"

[tools.get_temperature]
description = "Get the temperature"
parameters = "tools/get_temperature.json"
`;

const TEMPLATES: Record<string, string> = {
  "functions/draft_email/system.minijinja": "You write emails in a {{ tone }} tone.",
  "functions/draft_email/user.minijinja": "Email {{ recipient }}{% if cc %} (cc {{ cc }}){% endif %}.",
};

describe("llmops migrate tensorzero", () => {
  it("converts models, functions with their templates, variants and metrics into a config this gateway loads", () => {
    const { toml, config, notes } = migrateTensorZero(TENSORZERO_TOML, {
      readTemplate: (file: string) => {
        if (!(file in TEMPLATES)) throw new Error("no such file");
        return TEMPLATES[file]!;
      },
    });
    const parsed = parseConfig(toml, "migrated.toml");
    expect(parsed.models["gpt-4o-mini"]!.routing).toEqual([{ provider: "gpt-4o-mini-openai", model: "gpt-4o-mini" }]);
    expect(parsed.providers["gpt-4o-mini-openai"]).toMatchObject({
      type: "openai",
      base_url: "https://api.openai.com/v1",
      api_key_env: "OPENAI_API_KEY",
    });
    expect(parsed.providers["claude-anthropic"]).toMatchObject({ type: "anthropic", api_key_env: "MY_ANTHROPIC_KEY" });
    expect(parsed.functions.draft_email!.variants.prompt_v1).toMatchObject({
      model: "gpt-4o-mini",
      weight: 0.7,
      system: "You write emails in a {{ tone }} tone.",
      temperature: 0.5,
      max_tokens: 300,
      stop: ["END"],
    });
    expect(Object.keys(parsed.functions.draft_email!.variants).sort()).toEqual(["claude_v1", "prompt_v1"]);
    expect(parsed.functions.extract!.variants.fast).toMatchObject({ model: "openai-gpt-4o-mini-2024-07-18", json_mode: true, weight: 1 });
    expect(parsed.models["openai-gpt-4o-mini-2024-07-18"]!.routing).toEqual([{ provider: "openai", model: "gpt-4o-mini-2024-07-18" }]);
    expect(parsed.metrics).toMatchObject({
      draft_accepted: { type: "boolean", optimize: "max", level: "inference" },
      user_rating: { type: "float", level: "episode" },
    });
    expect(config.metrics).not.toHaveProperty("notes");
    const said = notes.join("\n");
    for (const expected of [
      'provider type "azure" has no equivalent',
      "user_schema: not carried over",
      'variant type "experimental_best_of_n_sampling"',
      "uses MiniJinja blocks",
      "output_schema: not carried over",
      'metrics.notes: type "comment"',
      "tools: not carried over",
      "gateway: not carried over",
    ])
      expect(said).toContain(expected);
    expect(toml.startsWith("# Converted from tensorzero.toml")).toBe(true);
  });
});
