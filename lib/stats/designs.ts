import { normalTwoSided } from "./distributions";
import type { Interval } from "./fixed-horizon";
import { spendingBoundaries } from "./group-sequential";
import { combineLooks, msprt } from "./sequential";

/**
 * The two sequential designs an experiment can use, over the same sequence of looks.
 * - `open`: the mSPRT (sequential.ts). Stop any time; no planned end.
 * - `planned`: a horizon of N looks with O'Brien–Fleming-type alpha spending (group-sequential.ts).
 *   Look k of N spends α(k/N) (calendar time, so an uneven day costs nothing), while the
 *   boundaries' correlations use each look's actual information.
 * Both answer with the same shape; `decided` is what the verdict reads.
 */
export type Design = { kind: "open" } | { kind: "planned"; looks: number };

/**
 * One look: the estimated difference and its standard error, such that (estimate − Δ)/se is
 * standard normal at the true difference Δ, and the information the look carries (any scale;
 * only ratios between looks matter). `index` is the look's position in time, from 1.
 */
export interface Look {
  index: number;
  estimate: number;
  se: number;
  information: number;
}

export interface SequentialResult {
  design: Design["kind"];
  decided: boolean;
  /** open: the always-valid p-value; planned: the nominal p-value of the deciding (else the latest) look. */
  pValue: number;
  estimate: number;
  /** open: the confidence sequence; planned: the intersection of the repeated confidence intervals. Valid at every look. */
  ci: Interval;
  /** Looks analysed (planned: at most the horizon). */
  look: number;
  decidedAt: number | null;
  /** planned: the number of planned looks. */
  horizon: number | null;
  /** planned: more looks were given than planned; those after the horizon are not tested. */
  pastHorizon: boolean;
  /** open: the mixing variance used. */
  tau2: number | null;
  /** planned: each tested look's z and critical |z| (information for projections). */
  path: { look: number; information: number; z: number; boundary: number }[];
}

const empty = (design: Design, estimate = 0): SequentialResult => ({
  design: design.kind,
  decided: false,
  pValue: 1,
  estimate,
  ci: [-Infinity, Infinity],
  look: 0,
  decidedAt: null,
  horizon: design.kind === "planned" ? design.looks : null,
  pastHorizon: false,
  tau2: null,
  path: [],
});

export function openTest(looks: Look[], tau2: number, alpha: number): SequentialResult {
  const results = looks.map((l) => msprt({ diff: l.estimate, variance: l.se * l.se, tau2, alpha }));
  const combined = combineLooks(results);
  const last = looks.at(-1);
  if (!combined || !last) return { ...empty({ kind: "open" }), tau2 };
  const first = results.findIndex((r) => r.pValue < alpha);
  return {
    ...empty({ kind: "open" }, last.estimate),
    decided: combined.pValue < alpha,
    pValue: combined.pValue,
    ci: combined.ci,
    look: last.index,
    decidedAt: first >= 0 ? (looks[first]?.index ?? null) : null,
    tau2,
  };
}

export function plannedTest(looks: Look[], horizon: number, alpha: number): SequentialResult {
  const design: Design = { kind: "planned", looks: horizon };
  const analysed = looks.filter((l) => l.index <= horizon);
  const last = analysed.at(-1);
  const pastHorizon = (looks.at(-1)?.index ?? 0) > horizon;
  if (!last) return { ...empty(design), pastHorizon };
  // A look that adds no information cannot be tested; its share of α is spent at the next one.
  const tested: Look[] = [];
  for (const l of analysed) {
    if (l.se === 0 && l.estimate !== 0) {
      // A difference known exactly (constant samples): decisive.
      return { ...empty(design, l.estimate), decided: true, pValue: 0, ci: [l.estimate, l.estimate], look: l.index, decidedAt: l.index };
    }
    if (l.se > 0 && l.information > (tested.at(-1)?.information ?? 0)) tested.push(l);
  }
  if (tested.length === 0) return { ...empty(design, last.estimate), look: last.index, pastHorizon };
  const bounds = spendingBoundaries({
    information: tested.map((l) => l.information),
    fractions: tested.map((l) => l.index / horizon),
    alpha,
  });
  let lo = -Infinity;
  let hi = Infinity;
  let deciding: Look | null = null;
  const path: SequentialResult["path"] = [];
  for (const [k, l] of tested.entries()) {
    const c = bounds[k] ?? Infinity;
    const z = l.estimate / l.se;
    if (Number.isFinite(c)) {
      lo = Math.max(lo, l.estimate - c * l.se);
      hi = Math.min(hi, l.estimate + c * l.se);
    }
    if (!deciding && Math.abs(z) >= c) deciding = l;
    path.push({ look: l.index, information: l.information, z, boundary: c });
  }
  const latest = tested.at(-1)!;
  const latestBound = bounds.at(-1) ?? Infinity;
  const shown = deciding ?? latest;
  return {
    ...empty(design, last.estimate),
    decided: deciding !== null,
    pValue: normalTwoSided(shown.estimate / shown.se),
    // An empty intersection can only follow a chance excursion; report the latest interval then.
    ci: lo <= hi ? [lo, hi] : [latest.estimate - latestBound * latest.se, latest.estimate + latestBound * latest.se],
    look: last.index,
    decidedAt: deciding?.index ?? null,
    pastHorizon,
    path,
  };
}

export function sequentialTest(design: Design, looks: Look[], tau2: number, alpha: number): SequentialResult {
  return design.kind === "open" ? openTest(looks, tau2, alpha) : plannedTest(looks, design.looks, alpha);
}
