import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresBackends } from "@/db/test/postgres";
import { parseConfig } from "@/lib/gateway/config";
import { createGateway } from "@/lib/gateway/runtime.server";
import { openTestStores, rows, type TestStores } from "@/lib/gateway/testing/harness";
import { createQueue } from "@/lib/labelling/queues.server";

const config = `
[recorder]
flush_ms = 50

[pii]
default_country = "GB"
custom = { employee_id = "EMP-\\\\d{6}" }

[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0
reply = "You said: {{last_user}}"

[models.m]
routing = [{ provider = "echo" }]

[functions.support]
store = "masked"
cache = { enabled = true }
[functions.support.variants.a]
model = "m"
user = "{{msg}}"

[functions.secret]
store = "none"
[functions.secret.variants.a]
model = "m"
user = "{{msg}}"

[functions.open]
cache = { enabled = true }
[functions.open.variants.a]
model = "m"
user = "{{msg}}"
`;

const MESSAGE = 'I am ann@corp.io, card 4111 1111 1111 1111, call 020 7946 0958, id EMP-204518, say "hi"';

let t: TestStores;
beforeAll(async () => {
  t = await openTestStores(postgresBackends[0]);
});
afterAll(() => t?.cleanup());

describe("PII at rest", () => {
  it("masks bodies before ClickHouse (and the Postgres copies taken from it), or stores none, per function", async () => {
    const gateway = await createGateway(t.stores, parseConfig(config));
    const signal = new AbortController().signal;
    const answers = await Promise.all(
      ["support", "secret", "open"].map((functionName) => gateway.infer({ functionName, variables: { msg: MESSAGE } }, { signal })),
    );
    // The client still gets the answer as the provider gave it.
    expect(answers[0]!.output.content).toBe(`You said: ${MESSAGE}`);
    await gateway.recorder.close(10_000);

    const stored = await rows<{ function_name: string; input: string; output: string; pii: string; found: string }>(
      t.stores,
      "SELECT function_name, input, output, tags['llmops.pii'] AS pii, tags['llmops.pii_found'] AS found FROM inferences ORDER BY function_name",
    );
    const by = Object.fromEntries(stored.map((r) => [r.function_name, r]));
    const masked = 'I am [EMAIL], card [CARD], call [PHONE], id [CUSTOM:EMPLOYEE_ID], say \\"hi\\"';
    expect(by.support!.input).toContain(masked);
    expect(by.support!.output).toContain(`You said: ${masked}`);
    expect(JSON.parse(by.support!.output)).toMatchObject({ content: expect.stringContaining("[EMAIL]") });
    expect(by.support).toMatchObject({ pii: "masked", found: "email:2,card:2,phone:2,custom:employee_id:2" });
    expect(by.secret).toMatchObject({ input: '{"messages":[]}', output: '{"content":null}', pii: "none" });
    expect(by.open!.input).toContain("ann@corp.io");
    expect(by.open!.pii).toBe("");

    const calls = await rows<{ function_name: string; request: string; response: string }>(
      t.stores,
      "SELECT function_name, request, response FROM model_calls ORDER BY function_name",
    );
    const call = Object.fromEntries(calls.map((r) => [r.function_name, r]));
    expect(call.support!.request).not.toContain("ann@corp.io");
    expect(call.support!.request).toContain("[EMAIL]");
    expect(call.support!.response).not.toContain("4111");
    expect(call.secret).toMatchObject({ request: "", response: "" });
    expect(call.open!.request).toContain("ann@corp.io");
    // A cached answer would be served back verbatim: only the function storing everything keeps one.
    const cached = await rows<{ function_name: string }>(t.stores, "SELECT function_name FROM inference_cache");
    expect(cached.map((c) => c.function_name)).toEqual(["open"]);

    // Postgres copies (labelling snapshots) are taken from the log, so they are masked too.
    const queue = await createQueue(
      { db: t.stores.postgres.db, clickhouse: t.stores.clickhouse.client },
      { name: "pii", fields: [{ key: "ok", type: "boolean" }], filter: { function: "support" } },
    );
    expect(queue.itemCount).toBe(1);
    const snapshot = await t.stores.postgres.db.query.labelItems?.findFirst();
    const text = snapshot ? snapshot.input + snapshot.output : "";
    expect(text).toContain("[EMAIL]");
    expect(text).not.toContain("ann@corp.io");
  });
});
