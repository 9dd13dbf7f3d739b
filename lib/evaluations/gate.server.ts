import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import {
  datasetVersions,
  evaluationItems,
  evaluationRuns,
  gateDecisions,
  gatePolicies,
  namedDatasets,
  registeredModelAliases,
} from "@/db/schema";
import type { GatewayConfig } from "@/lib/gateway/config";
import { BadRequestError } from "@/lib/http/errors";
import { compareArms } from "./compare";
import {
  gatePolicyInput,
  type ConditionResult,
  type GateCondition,
  type GatePolicy,
  type GatePolicyInput,
  type GateVerdict,
} from "./gate-schemas";
import { loadScoredItems } from "./runs.server";
import { summariseRun } from "./summary";

/**
 * The promotion gate. A policy covers moving `alias` of a registered prompt/model (by name), or of
 * any prompt a function's variants follow (`prompts:/name@alias`). Its evidence is the newest
 * finished evaluation run of the policy's function on the policy's dataset in which some candidate
 * served the target version; conditions are thresholds on that candidate's summary and "no
 * significant regression" (paired tests, compare.ts) against a finished run of the version the
 * alias points to now on the same dataset version. Every gated move is kept in gate_decisions.
 */

type PolicyRow = typeof gatePolicies.$inferSelect;
const toPolicy = (r: PolicyRow): GatePolicy => ({ ...r, conditions: r.conditions as GateCondition[] });

export async function upsertPolicy(db: Db, raw: GatePolicyInput, now = Date.now()): Promise<GatePolicy> {
  const input = gatePolicyInput.parse(raw);
  const values = {
    targetKind: input.target_kind,
    targetName: input.target_name,
    alias: input.alias,
    mode: input.mode,
    functionName: input.function,
    datasetName: input.dataset,
    conditions: input.conditions,
  };
  const [row] = await db
    .insert(gatePolicies)
    .values({ id: randomUUID(), createdAt: now, ...values })
    .onConflictDoUpdate({ target: [gatePolicies.targetKind, gatePolicies.targetName, gatePolicies.alias], set: values })
    .returning();
  return toPolicy(row!);
}

export async function listPolicies(db: Db): Promise<GatePolicy[]> {
  return (await db.select().from(gatePolicies).orderBy(gatePolicies.targetName, gatePolicies.alias)).map(toPolicy);
}

/** Deletes a policy; answers the policy it deleted (null when there was none). */
export async function deletePolicy(db: Db, id: string): Promise<GatePolicy | null> {
  const [row] = await db.delete(gatePolicies).where(eq(gatePolicies.id, id)).returning();
  return row ? toPolicy(row) : null;
}

/** Functions whose variants follow `prompts:/name@alias` (function policies apply to those moves). */
function functionsFollowing(config: GatewayConfig | undefined, name: string, alias: string): string[] {
  if (!config) return [];
  return Object.entries(config.functions)
    .filter(([, fn]) => Object.values(fn.variants).some((v) => v.prompt === `prompts:/${name}@${alias}`))
    .map(([fnName]) => fnName);
}

/** Finished runs of `functionName` on any version of `dataset` in which a candidate served `name/version`, newest first. */
async function armsServing(db: Db, functionName: string, dataset: string, name: string, version: number, datasetVersionId?: string) {
  const ref = `${name}/${version}`;
  const served = await db
    .selectDistinct({ runId: evaluationItems.runId, candidate: evaluationItems.candidate })
    .from(evaluationItems)
    .innerJoin(evaluationRuns, eq(evaluationRuns.id, evaluationItems.runId))
    .where(
      and(eq(evaluationRuns.functionName, functionName), eq(evaluationRuns.status, "finished"), eq(evaluationItems.promptVersion, ref)),
    );
  const runs = await db
    .select({ run: evaluationRuns })
    .from(evaluationRuns)
    .innerJoin(datasetVersions, eq(datasetVersions.id, evaluationRuns.datasetVersionId))
    .innerJoin(namedDatasets, eq(namedDatasets.id, datasetVersions.datasetId))
    .where(
      and(
        eq(evaluationRuns.functionName, functionName),
        eq(evaluationRuns.status, "finished"),
        eq(namedDatasets.name, dataset),
        datasetVersionId ? eq(evaluationRuns.datasetVersionId, datasetVersionId) : undefined,
        or(
          served.length ? inArray(evaluationRuns.id, [...new Set(served.map((s) => s.runId))]) : sql`false`,
          sql`${evaluationRuns.candidates} @> ${JSON.stringify([{ prompt: `prompts:/${ref}` }])}::jsonb`,
          sql`${evaluationRuns.candidates} @> ${JSON.stringify([{ registeredModelVersion: ref }])}::jsonb`,
        ),
      ),
    )
    .orderBy(desc(evaluationRuns.finishedAt))
    .limit(1);
  const run = runs[0]?.run;
  if (!run) return undefined;
  const candidate =
    run.candidates.find((c) => c.prompt === `prompts:/${ref}` || c.registeredModelVersion === ref)?.key ??
    served.find((s) => s.runId === run.id)!.candidate;
  return { run, candidate };
}

const describe = (c: GateCondition) =>
  c.kind === "threshold"
    ? `${c.evaluator}/${c.stat} ${c.op} ${c.value}`
    : `no significant regression${c.evaluators ? ` in ${c.evaluators.join(", ")}` : ""} against the version the alias points to now`;

async function checkPolicy(db: Db, policy: GatePolicy, name: string, alias: string, version: number): Promise<ConditionResult[]> {
  const base = { policyId: policy.id, mode: policy.mode };
  const target = await armsServing(db, policy.functionName, policy.datasetName, name, version);
  if (!target) {
    const detail = `no finished evaluation run of ${policy.functionName} on dataset ${policy.datasetName} served ${name}/${version}`;
    return policy.conditions.map((c) => ({ ...base, description: describe(c), pass: false, detail, runId: null }));
  }
  const items = await loadScoredItems(db, target.run.id);
  const [summary] = summariseRun([target.candidate], items);
  const results: ConditionResult[] = [];
  for (const c of policy.conditions) {
    if (c.kind === "threshold") {
      const e = summary!.evaluators[c.evaluator];
      const actual = c.stat === "mean" ? e?.mean : e?.passRate;
      const pass = actual !== undefined && actual !== null && (c.op === ">=" ? actual >= c.value : actual <= c.value);
      const detail =
        actual === undefined || actual === null
          ? `run ${target.run.name} has no ${c.evaluator} scores`
          : `${c.evaluator}/${c.stat} = ${actual.toFixed(3)} on run "${target.run.name}"`;
      results.push({ ...base, description: describe(c), pass, detail, runId: target.run.id });
      continue;
    }
    const [current] = await db
      .select({ version: registeredModelAliases.version })
      .from(registeredModelAliases)
      .where(and(eq(registeredModelAliases.name, name), eq(registeredModelAliases.alias, alias)));
    if (!current || current.version === version) {
      results.push({
        ...base,
        description: describe(c),
        pass: true,
        detail: current ? "the alias already points to this version" : `${alias} points to no version yet`,
        runId: target.run.id,
      });
      continue;
    }
    const baseline = await armsServing(
      db,
      policy.functionName,
      policy.datasetName,
      name,
      current.version,
      target.run.datasetVersionId ?? undefined,
    );
    if (!baseline) {
      const detail = `no finished run of ${name}/${current.version} (${alias} now) on the same dataset version to compare with`;
      results.push({ ...base, description: describe(c), pass: false, detail, runId: target.run.id });
      continue;
    }
    const baseItems = baseline.run.id === target.run.id ? items : await loadScoredItems(db, baseline.run.id);
    const comparison = compareArms(
      {
        runId: baseline.run.id,
        candidate: baseline.candidate,
        label: "current",
        summary: summariseRun([baseline.candidate], baseItems)[0]!,
        items: baseItems.filter((i) => i.candidate === baseline.candidate),
      },
      {
        runId: target.run.id,
        candidate: target.candidate,
        label: "target",
        summary: summary!,
        items: items.filter((i) => i.candidate === target.candidate),
      },
      c.alpha ?? 0.05,
    );
    const bad = comparison.evaluators.filter((e) => e.significantRegression && (!c.evaluators || c.evaluators.includes(e.evaluator)));
    const detail = bad.length
      ? bad
          .map(
            (e) =>
              `${e.evaluator} drops by ${(-(e.meanDiff ?? 0)).toFixed(3)} (paired t p = ${e.tPValue?.toPrecision(2) ?? "—"}, McNemar p = ${e.mcnemarPValue?.toPrecision(2) ?? "—"}, ${e.regressions} items regress)`,
          )
          .join("; ")
      : `no significant drop against ${name}/${current.version} over ${comparison.pairs} paired items`;
    results.push({ ...base, description: describe(c), pass: bad.length === 0, detail, runId: target.run.id });
  }
  return results;
}

/** The verdict on moving `alias` of `name` to `version`: evidence per condition and a message naming what failed. */
export async function evaluateGate(
  db: Db,
  config: GatewayConfig | undefined,
  input: { name: string; alias: string; version: number },
): Promise<GateVerdict> {
  const fns = functionsFollowing(config, input.name, input.alias);
  const rows = await db
    .select()
    .from(gatePolicies)
    .where(
      and(
        eq(gatePolicies.alias, input.alias),
        or(
          and(eq(gatePolicies.targetKind, "registered"), eq(gatePolicies.targetName, input.name)),
          fns.length ? and(eq(gatePolicies.targetKind, "function"), inArray(gatePolicies.targetName, fns)) : sql`false`,
        ),
      ),
    );
  const policies = rows.map(toPolicy);
  const conditions = (await Promise.all(policies.map((p) => checkPolicy(db, p, input.name, input.alias, input.version)))).flat();
  const failed = conditions.filter((c) => !c.pass);
  const verdict = !policies.length ? "none" : failed.some((c) => c.mode === "enforce") ? "fail" : failed.length ? "warn" : "pass";
  const what = `moving ${input.alias} of ${input.name} to version ${input.version}`;
  const message =
    verdict === "none"
      ? `No promotion policy covers ${what}`
      : verdict === "pass"
        ? `The promotion gate allows ${what}: every condition holds`
        : `The promotion gate ${verdict === "fail" ? "refuses" : "warns about"} ${what}: ${failed.map((c) => `${c.description} failed (${c.detail})`).join("; ")}`;
  return { ...input, verdict, message, policies, conditions };
}

/** Keeps a gated move in gate_decisions: the seam where issue 14's audit log will record overrides. */
export async function recordGateDecision(
  db: Db,
  gate: GateVerdict,
  input: { surface: "dashboard" | "mlflow"; override?: { reason: string; actor?: string } },
): Promise<void> {
  if (gate.verdict === "none") return;
  await db.insert(gateDecisions).values({
    id: randomUUID(),
    name: gate.name,
    alias: gate.alias,
    version: gate.version,
    verdict: input.override && gate.verdict === "fail" ? "override" : gate.verdict,
    surface: input.surface,
    actor: input.override?.actor ?? "",
    reason: input.override?.reason ?? "",
    evidence: { message: gate.message, conditions: gate.conditions },
    createdAt: Date.now(),
  });
}

export function requireOverrideReason(
  override: { override?: boolean; reason?: string } | undefined,
): { reason: string; actor?: string } | undefined {
  if (!override?.override) return undefined;
  if (!override.reason?.trim()) throw new BadRequestError("An override needs a reason");
  return { reason: override.reason.trim() };
}
