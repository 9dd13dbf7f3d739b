import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";

/**
 * Traces end to end on the running app: an OpenTelemetry (OTLP/JSON) export of an agent trace to
 * /v1/traces, an MLflow assessment on it, then the Traces page, the trace's span tree with its
 * timeline and span details, and the session view.
 */
test("an OTLP trace shows as a span tree with its timeline, span inputs, assessments and session", async ({ page, request }) => {
  const traceId = randomBytes(16).toString("hex");
  const root = randomBytes(8).toString("hex");
  const llm = randomBytes(8).toString("hex");
  const tool = randomBytes(8).toString("hex");
  const session = `e2e-${randomBytes(4).toString("hex")}`;
  const t0 = BigInt(Date.now()) * 1_000_000n;
  const at = (ms: number) => String(t0 + BigInt(ms) * 1_000_000n);
  const s = (value: string) => ({ stringValue: value });
  const res = await request.post("/v1/traces", {
    headers: { "content-type": "application/json", "x-mlflow-experiment-id": "0" },
    data: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: s("support-bot") }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: root,
                  name: "answer_ticket",
                  startTimeUnixNano: at(0),
                  endTimeUnixNano: at(900),
                  status: { code: 1 },
                  attributes: [
                    { key: "gen_ai.operation.name", value: s("invoke_agent") },
                    { key: "gen_ai.conversation.id", value: s(session) },
                    { key: "input.value", value: s("Where is order 4411?") },
                    { key: "output.value", value: s("It ships tomorrow.") },
                  ],
                },
                {
                  traceId,
                  spanId: llm,
                  parentSpanId: root,
                  name: "chat gpt-4o-mini",
                  startTimeUnixNano: at(100),
                  endTimeUnixNano: at(700),
                  status: { code: 1 },
                  attributes: [
                    { key: "gen_ai.operation.name", value: s("chat") },
                    { key: "gen_ai.request.model", value: s("gpt-4o-mini") },
                    { key: "gen_ai.usage.input_tokens", value: { intValue: 42 } },
                    { key: "gen_ai.usage.output_tokens", value: { intValue: 7 } },
                    {
                      key: "gen_ai.input.messages",
                      value: s(JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Look up order 4411" }] }])),
                    },
                  ],
                },
                {
                  traceId,
                  spanId: tool,
                  parentSpanId: llm,
                  name: "lookup_order",
                  startTimeUnixNano: at(200),
                  endTimeUnixNano: at(350),
                  status: { code: 2, message: "warehouse timeout" },
                  attributes: [{ key: "gen_ai.operation.name", value: s("execute_tool") }],
                },
              ],
            },
          ],
        },
      ],
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  const feedback = await request.post(`/api/3.0/mlflow/traces/tr-${traceId}/assessments`, {
    data: {
      assessment: {
        assessment_name: "resolved",
        feedback: { value: true },
        rationale: "Customer confirmed.",
        source: { source_type: "HUMAN", source_id: "qa" },
      },
    },
  });
  expect(feedback.status(), await feedback.text()).toBe(200);
  expect(await (await request.get("/version")).text()).toMatch(/^3\./);
  // The v2 trace paths are served beside the other /api/2.0/mlflow routes, in MLflow's error format.
  const link = await request.post("/api/2.0/mlflow/traces/link-to-run", { data: { trace_ids: [`tr-${traceId}`], run_id: "no-such-run" } });
  expect(link.status()).toBe(404);
  expect(await link.json()).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST" });

  await page.goto(`/traces?session=${session}`);
  await expect(page.getByRole("heading", { level: 1, name: "Traces" })).toBeVisible();
  await page.getByRole("link", { name: `Trace tr-${traceId}` }).click();

  const tree = page.getByRole("tree", { name: "Span tree" });
  await expect(tree.getByRole("treeitem")).toHaveCount(3);
  await expect(tree.getByRole("treeitem", { level: 3 })).toContainText("lookup_order");
  await expect(page.getByRole("region", { name: "Trace summary" })).toContainText("42 / 7");
  await expect(page.getByRole("region", { name: "Span answer_ticket" })).toContainText("Where is order 4411?");
  await tree.getByRole("button", { name: /chat gpt-4o-mini/ }).click();
  const panel = page.getByRole("region", { name: "Span chat gpt-4o-mini" });
  await expect(panel).toContainText("Look up order 4411");
  await expect(panel).toContainText("gpt-4o-mini");
  await expect(page).toHaveURL(new RegExp(`span=${llm}`));
  await expect(page.getByRole("region", { name: "Assessments" })).toContainText("Customer confirmed.");

  await page.getByRole("region", { name: "Trace summary" }).getByRole("link", { name: session }).click();
  await expect(page.getByRole("list", { name: "Session timeline" })).toContainText("answer_ticket");
});
