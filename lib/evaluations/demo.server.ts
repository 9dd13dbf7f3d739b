import "server-only";
import type { DemoSeeder } from "@/lib/demo/types";
import { createFromItems } from "@/lib/datasets/service.server";
import { loadConfigFile, createGateway } from "@/lib/gateway/runtime.server";
import { promptToText } from "@/lib/gateway/templates";
import { PROMPT_TYPE_TAG } from "@/lib/registry/prompts";
import { ensurePromptVersion, setAlias } from "@/lib/registry/repo.server";
import type { Stores } from "@/lib/stores/index.server";
import { upsertPolicy } from "./gate.server";
import { createEvaluationRun, getRunView, type EvaluationsContext } from "./runs.server";
import { EvaluationWorker } from "./worker.server";

/**
 * The demo's evaluations: a dataset of support tickets, two finished runs of `summarize` on it —
 * the configured `concise` variant, and a second version of its prompt tried as a candidate,
 * which restates the ticket less faithfully (a regression on `faithful`, ROUGE-L against the
 * ticket) — and an enforced promotion policy on moving `production` of summarize.concise, so the
 * registry's alias dialog shows a refusal with its evidence. Everything goes through the app's
 * own paths (dataset service, run service, the worker and the gateway with the dummy providers).
 */
export const DEMO_DATASET = "demo-tickets";
const CUSTOMERS = ["Ada", "Grace", "Linus", "Margaret", "Ken"];
const TICKETS = [
  "My invoice for October was charged twice and I need a refund for the duplicate.",
  "The export to CSV button does nothing in Firefox; Chrome works.",
  "I cannot log in since the password reset; the link says it expired.",
  "Please add my colleague to our team plan; the invite email never arrived.",
  "The dashboard is very slow in the mornings, pages take 20 seconds to load.",
  "Our webhook stopped firing after we rotated the signing secret.",
  "How do I change the billing currency from USD to EUR?",
  "The mobile app crashes when I open a report with more than 50 rows.",
];

async function waitFinished(ctx: EvaluationsContext, id: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const run = await getRunView(ctx, id);
    if (run.status !== "queued" && run.status !== "running") return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`demo evaluation run ${id} did not finish in 5 minutes`);
}

export async function seedEvaluationsDemo(stores: Stores, log: (message: string) => void): Promise<void> {
  const ctx: EvaluationsContext = { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
  const config = await loadConfigFile();
  if (!config.functions.summarize?.variants.concise) {
    log("evaluations: the config has no summarize/concise; nothing seeded");
    return;
  }
  const gateway = await createGateway(stores, config, { spoolDir: null });
  const items = CUSTOMERS.flatMap((customer) =>
    TICKETS.map((ticket) => ({
      input: { variables: { customer, ticket } },
      expected_output: ticket,
      assertions: [{ type: "icontains", value: customer, metric: "mentions_customer" }],
      tags: { customer },
    })),
  );
  const dataset = await createFromItems(ctx, { name: DEMO_DATASET, items, source: { kind: "api" } });
  const v2 = await ensurePromptVersion(ctx.db, {
    name: "summarize.concise",
    template: promptToText({
      system: "You summarise support tickets in one sentence.",
      user: "Customer {{customer}} wrote this, summarise it: {{ticket}}",
    }),
    tags: { [PROMPT_TYPE_TAG]: "chat" },
  });
  await setAlias(ctx.db, "summarize.concise", "production", 1);
  const evaluators = [{ name: "faithful", type: "rouge-l", threshold: 0.8 }];
  const worker = new EvaluationWorker(ctx, async () => gateway, { pollMs: 50 });
  worker.start();
  try {
    const base = await createEvaluationRun(ctx, config, {
      name: "summarize on demo-tickets",
      function: "summarize",
      dataset: { name: DEMO_DATASET },
      candidates: [{ variant: "concise" }],
      evaluators,
      concurrency: 16,
      thresholds: [{ evaluator: "faithful", stat: "mean", op: ">=", value: 0.8 }],
    });
    await waitFinished(ctx, base.id);
    const candidate = await createEvaluationRun(ctx, config, {
      name: "summarize on demo-tickets",
      function: "summarize",
      dataset: { name: DEMO_DATASET },
      candidates: [{ variant: "concise", prompt: `prompts:/summarize.concise/${v2.version}` }],
      evaluators,
      concurrency: 16,
      thresholds: [{ evaluator: "faithful", stat: "mean", op: ">=", value: 0.8 }],
    });
    await waitFinished(ctx, candidate.id);
  } finally {
    await worker.stop();
    await gateway.recorder.close(5_000);
  }
  await upsertPolicy(ctx.db, {
    target_kind: "registered",
    target_name: "summarize.concise",
    alias: "production",
    mode: "enforce",
    function: "summarize",
    dataset: DEMO_DATASET,
    conditions: [
      { kind: "threshold", evaluator: "faithful", stat: "mean", op: ">=", value: 0.8 },
      { kind: "no_regression", evaluators: ["faithful", "mentions_customer"] },
    ],
  });
  log(`evaluations: dataset ${dataset.name} v${dataset.version}, two finished runs, a promotion policy on summarize.concise@production`);
}

export const evaluationsDemoSeeder: DemoSeeder = { key: "evaluations", run: seedEvaluationsDemo };
