import "server-only";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DemoSeeder } from "@/lib/demo/types";
import type { ChatMessage } from "./chat";
import type { Stores } from "@/lib/stores/index.server";
import { parseConfig, type GatewayConfig } from "./config";
import { embed } from "./embeddings.server";
import { recordFeedbackBatch } from "./feedback.server";
import { uuidAt } from "./ids";
import type { InferenceResult } from "./gateway.server";
import { virtualClock } from "./providers/types";
import { createGateway } from "./runtime.server";

/**
 * The demo workspace's gateway traffic: two weeks of inferences driven through the real inference
 * path (variant choice, templates, fallbacks, cache, recorder) on a virtual clock, with the
 * offline `dummy` provider standing in for every provider of the repository's llmops.toml, then
 * feedback through the feedback path. Simulated users make `summarize/detailed` truly better on
 * `helpful` (78% vs ~61%) and `reply/empathetic` better on `resolved` (70% vs 52%), while
 * `quality` has the same distribution for every variant (no real difference). Half the reply
 * conversations come from plain clients (messages only, no template variables).
 */
const DAYS = 14;
const SUMMARIES = 2000;
const CONVERSATIONS = 320;
/** Feedback outcomes per variant come in blocks this long holding its rate exactly (see seedGatewayDemo). */
const OUTCOME_BLOCK = 50;
const EMBEDDING_CALLS = 150;

const CUSTOMERS = ["Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia"];
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
const MESSAGES = [
  "Hi, my order has not arrived yet.",
  "It was supposed to come last Tuesday.",
  "The tracking number does not work.",
  "Can you send a replacement instead?",
  "Thanks, that would help a lot.",
];

/** Small deterministic PRNG (mulberry32), so every demo workspace looks the same. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo's config: the repository's llmops.toml with every provider replaced by a dummy one. */
export function demoConfig(config: GatewayConfig): GatewayConfig {
  const providers: GatewayConfig["providers"] = {};
  for (const [name, provider] of Object.entries(config.providers)) {
    providers[name] =
      provider.type === "dummy"
        ? {
            ...provider,
            latency_jitter: Math.max(provider.latency_jitter, 0.35),
            ms_per_output_token: Math.max(provider.ms_per_output_token, 4),
          }
        : {
            type: "dummy",
            latency_ms: 600,
            ttft_ms: 150,
            ms_per_output_token: 8,
            latency_jitter: 0.4,
            failure_rate: 0.02,
            timeout_ms: 60_000,
            ttft_timeout_ms: 20_000,
            max_retries: 0,
            retry_backoff_ms: 10,
          };
  }
  // A backup that sometimes fails too, so a few inferences end in errors (the reply function does
  // not fall back to its other variant).
  if (providers["dummy-smart"]?.type === "dummy")
    providers["dummy-smart"] = { ...providers["dummy-smart"], failure_rate: Math.max(providers["dummy-smart"].failure_rate, 0.08) };
  if (providers["dummy-backup"]?.type === "dummy") providers["dummy-backup"] = { ...providers["dummy-backup"], failure_rate: 0.3 };
  const functions = { ...config.functions };
  if (functions.reply) functions.reply = { ...functions.reply, variant_fallback: false };
  return { ...config, providers, functions, recorder: { ...config.recorder, batch_size: 5000, flush_ms: 60_000 } };
}

/** Times over the past `days`: traffic grows over the period and follows working hours. */
export function demoTimes(count: number, now: number, days: number, random: () => number): number[] {
  const start = now - days * 86_400_000;
  const times: number[] = [];
  while (times.length < count) {
    const t = start + random() * (now - start - 60_000);
    const progress = (t - start) / (now - start);
    const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
    const daily = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI));
    const weekday = [0, 6].includes(new Date(t).getUTCDay()) ? 0.45 : 1;
    if (random() < daily * weekday * (0.45 + 0.55 * progress)) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

async function pool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

export async function seedGatewayDemo(
  stores: Stores,
  config: GatewayConfig,
  log: (message: string) => void,
  now = Date.now(),
): Promise<{ inferences: number; feedback: number }> {
  const random = seededRandom(20261123);
  const gateway = await createGateway(stores, demoConfig(config), { random, spoolDir: null });
  const done: { result: InferenceResult; at: number }[] = [];
  let failed = 0;
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;

  if (config.functions.summarize) {
    const times = demoTimes(SUMMARIES, now, DAYS, random);
    for (let i = 0; i < times.length; i += 400) {
      // Flushed between slices so repeated tickets sent with the cache on can hit it.
      await pool(times.slice(i, i + 400), 16, async (at) => {
        const ticket = pick(TICKETS);
        const repeat = random() < 0.15;
        try {
          const result = await gateway.infer(
            {
              functionName: "summarize",
              variables: { customer: repeat ? "Ada" : pick(CUSTOMERS), ticket },
              tags: { source: "demo", team: pick(["billing", "support", "sales"]) },
              cache: repeat ? { enabled: true, ttl_s: 86_400 * DAYS } : undefined,
            },
            { signal: new AbortController().signal, clock: virtualClock(at) },
          );
          done.push({ result, at });
        } catch {
          failed += 1;
        }
      });
      await gateway.recorder.flush();
    }
  }

  if (config.functions.reply) {
    const starts = demoTimes(CONVERSATIONS, now - 3_600_000, DAYS, random);
    // Both client styles: odd conversations send template variables (the latest message), even ones
    // are plain clients sending the whole conversation as messages (the variant's system prompt first).
    await pool([...starts.entries()], 16, async ([index, start]) => {
      const episodeId = uuidAt(start);
      const turns = 2 + Math.floor(random() * 4);
      const plain = index % 2 === 0;
      const history: ChatMessage[] = [];
      let at = start;
      for (let turn = 0; turn < turns; turn++) {
        const message = MESSAGES[turn % MESSAGES.length]!;
        history.push({ role: "user", content: message });
        try {
          const result = await gateway.infer(
            {
              functionName: "reply",
              episodeId,
              ...(plain ? { messages: [...history] } : { variables: { message } }),
              tags: { source: "demo", style: plain ? "plain" : "variables" },
            },
            { signal: new AbortController().signal, clock: virtualClock(at) },
          );
          history.push({ role: "assistant", content: result.output.content ?? "" });
          done.push({ result, at });
        } catch {
          failed += 1;
        }
        at += 30_000 + random() * 240_000;
      }
    });
  }
  // Embedding calls (their own kind of call on the functions page): tickets embedded for search,
  // with the per-item cache on, so repeated tickets are served from it.
  let embedded = 0;
  for (const model of Object.keys(config.models).filter((m) => config.models[m]!.kind === "embedding")) {
    const times = demoTimes(EMBEDDING_CALLS, now, DAYS, random);
    for (let i = 0; i < times.length; i += 100) {
      await pool(times.slice(i, i + 100), 8, async (at) => {
        const input = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(TICKETS));
        await embed(
          gateway,
          { model: `model::${model}`, input, llmops: { cache: { enabled: true, ttl_s: 86_400 * DAYS }, tags: { source: "demo" } } },
          { signal: new AbortController().signal, clock: virtualClock(at) },
        ).then(
          () => void (embedded += 1),
          () => void (failed += 1),
        );
      });
      await gateway.recorder.flush();
    }
  }
  await gateway.recorder.close();
  log(
    `gateway: ${done.length + embedded + failed} inferences (${embedded} embedding calls, ${failed} failed, ${done.filter((d) => d.result.cached).length} from the cache)`,
  );

  const feedback: Record<string, unknown>[] = [];
  const times: number[] = [];
  const add = (input: Record<string, unknown>, at: number) => {
    feedback.push(input);
    times.push(Math.min(now, at + 60_000 + random() * 1_800_000));
  };
  const helpfulRate: Record<string, number> = { concise: 0.62, detailed: 0.78, bullets: 0.6, baseline: 0.66, empathetic: 0.66 };
  const resolvedRate: Record<string, number> = { baseline: 0.52, empathetic: 0.7 };
  // What each variant earns comes in shuffled blocks of 50 outcomes holding the variant's rate
  // exactly, each variant from a stream of its own: how the concurrent requests above interleaved
  // cannot change the result, so the demo shows the same winner on every start.
  const outcomeBlocks = new Map<string, { random: () => number; block: boolean[] }>();
  const outcome = (metric: string, variant: string, rate: number) => {
    const key = `${metric}:${variant}`;
    let state = outcomeBlocks.get(key);
    if (!state) {
      const seed = [...key].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16_777_619) >>> 0, 2_166_136_261);
      state = { random: seededRandom(seed), block: [] };
      outcomeBlocks.set(key, state);
    }
    if (state.block.length === 0) {
      const block = Array.from({ length: OUTCOME_BLOCK }, (_, i) => i < Math.round(rate * OUTCOME_BLOCK));
      for (let i = block.length - 1; i > 0; i--) {
        const j = Math.floor(state.random() * (i + 1));
        [block[i], block[j]] = [block[j]!, block[i]!];
      }
      state.block = block;
    }
    return state.block.pop()!;
  };
  const episodes = new Map<string, { variant: string; at: number }>();
  for (const { result, at } of done) {
    if (result.functionName === "reply") episodes.set(result.episodeId, { variant: result.variantName, at });
    if (config.metrics.helpful && random() < 0.4)
      add(
        {
          metric_name: "helpful",
          inference_id: result.inferenceId,
          value: outcome("helpful", result.variantName, helpfulRate[result.variantName] ?? 0.6),
        },
        at,
      );
    if (config.metrics.quality && random() < 0.25) {
      const score = Math.min(1, Math.max(0, 0.7 + 0.15 * (random() + random() + random() - 1.5) * 2));
      add({ metric_name: "quality", inference_id: result.inferenceId, value: Math.round(score * 100) / 100 }, at);
    }
    if (random() < 0.01)
      add(
        {
          metric_name: "comment",
          inference_id: result.inferenceId,
          value: pick(["Too long.", "Missed the refund request.", "Perfect, thanks.", "Wrong customer name."]),
        },
        at,
      );
    if (random() < 0.01 && result.output.content)
      add(
        {
          metric_name: "demonstration",
          inference_id: result.inferenceId,
          value: `Customer needs help: ${result.output.content.slice(0, 80)}`,
        },
        at,
      );
  }
  if (config.metrics.resolved) {
    for (const [episodeId, { variant, at }] of episodes) {
      if (random() < 0.6)
        add({ metric_name: "resolved", episode_id: episodeId, value: outcome("resolved", variant, resolvedRate[variant] ?? 0.6) }, at);
    }
  }
  for (let i = 0; i < feedback.length; i += 2000) {
    await recordFeedbackBatch({ clickhouse: stores.clickhouse.client, config: gateway.config }, feedback.slice(i, i + 2000), {
      source: "demo",
      timestampOf: (index) => new Date(times[i + index]!),
    });
  }
  log(`gateway: ${feedback.length} feedback rows`);
  return { inferences: done.length + embedded + failed, feedback: feedback.length };
}

/** Seeds from the repository's llmops.toml (the demo config), whatever LLMOPS_CONFIG says. */
export const gatewayDemoSeeder: DemoSeeder = {
  key: "gateway",
  async run(stores, log) {
    const file = path.resolve("llmops.toml");
    if (!existsSync(file)) {
      log(`gateway: no ${file}; skipped`);
      return;
    }
    await seedGatewayDemo(stores, parseConfig(await readFile(file, "utf8"), "llmops.toml"), log);
  },
};
