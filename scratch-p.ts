import { openClickHouse } from "@/lib/clickhouse/client.server";
import { seedTraffic } from "@/bench/dashboard-seed";
import { variantSummary, variantSeries, metricSummary, metricSeries, observedMetrics, observedVariants } from "@/lib/analytics/queries.server";
import { resolveRange } from "@/lib/analytics/range";
const dir = "/tmp/pmscratch/data2";
const store = await openClickHouse({ username: "default", password: "", database: "llmops", dataDir: dir, connectTimeoutMs: 10000 });
const c = store.client;
const now = Date.now();
if (process.argv[2] === "seed") await seedTraffic(c, { inferences: 1_000_000, days: 30, now });
const parts = await (await c.query({ query: "SELECT table, count() n, sum(rows) r FROM system.parts WHERE active AND database = 'llmops' GROUP BY table ORDER BY table", format: "JSONEachRow" })).json();
console.log(parts);
const range = resolveRange(now - 7 * 86400000, now);
const scope = { functionName: "summarize", range };
async function t(label: string, f: () => Promise<unknown>) { const s: number[] = []; for (let i = 0; i < 15; i++) { const a = performance.now(); await f(); s.push(performance.now() - a); } s.sort((a, b) => a - b); console.log(label.padEnd(20), "p50", s[7]!.toFixed(1), "min", s[0]!.toFixed(1)); }
await t("summary", () => variantSummary(c, scope));
await t("series", () => variantSeries(c, scope));
await t("msummary", () => metricSummary(c, scope));
await t("mseries", () => metricSeries(c, scope));
await t("obsMetrics", () => observedMetrics(c, "summarize", range.from, range.to));
await t("obsVariants", () => observedVariants(c, "summarize", range.from, range.to));
await t("count1h", async () => (await c.query({ query: "SELECT count() FROM inference_rollup_1h WHERE function_name='summarize'", format: "JSONEachRow" })).json());
if (process.argv[2] === "opt") { for (const tb of ["inference_rollup_1h", "inference_rollup_1m", "feedback_rollup_1h", "feedback_rollup_1m"]) await c.command({ query: `OPTIMIZE TABLE ${tb} FINAL` }); console.log("optimized"); }
await store.close();
