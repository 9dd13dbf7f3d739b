import type { Design, Look } from "./designs";
import { difference, effective, increment, type Stats } from "./samples";

/**
 * Turns cumulative statistics of a control and a treatment at each look into the looks the
 * sequential designs read.
 *
 * Fixed allocation: the pooled difference at each look, with its (cluster-robust) standard error;
 * the information is the effective sample size of the comparison, 1 / (1/n_c + 1/n_t), whose
 * ratios between looks are the correlations of the look statistics (count-based, as in Jennison
 * & Turnbull; exact when the split between the arms is steady).
 *
 * Adaptive allocation: the weights change between looks (once per UTC day, from data recorded
 * before the day), so pooling arms across days would mix different splits with outcome-driven
 * sample sizes, and the usual z-statistic is not normal then (Zhang, Janson & Murphy 2020). Each
 * look's increment is a batch with a fixed split instead; its difference Δ̂_d with variance V_d is
 * normal given the past. `open` combines batches by inverse variance (S = Σ Δ̂_d/V_d has
 * predictable variance Σ 1/V_d, so the mSPRT's mixture is still a martingale); `planned` sums the
 * batches' standardised statistics Σ (Δ̂_d − Δ)/√V_d, independent N(0, 1) whatever the allocation
 * did, with information = number of batches (the batched OLS statistic of Zhang et al.).
 */
export function buildLooks(control: Stats[], treatment: Stats[], options: { design: Design; adaptive: boolean }): Look[] {
  const count = Math.min(control.length, treatment.length);
  const looks: Look[] = [];
  if (!options.adaptive) {
    for (let i = 0; i < count; i++) {
      const c = effective(control[i]!);
      const t = effective(treatment[i]!);
      const d = difference(c, t);
      if (!d) continue;
      looks.push({ index: i + 1, estimate: d.diff, se: Math.sqrt(d.variance), information: 1 / (1 / c.n + 1 / t.n) });
    }
    return looks;
  }
  let a = 0;
  let b = 0;
  let batches = 0;
  for (let i = 0; i < count; i++) {
    const c = effective(increment(control[i]!, control[i - 1]));
    const t = effective(increment(treatment[i]!, treatment[i - 1]));
    const cmp = difference(c, t);
    // A batch with fewer than two observations in an arm is left out (a rule on counts, not on
    // outcomes). A rate batch whose outcomes all agree keeps the variance of half a success, so it
    // counts as a batch with a zero statistic rather than being dropped for what it observed.
    if (!cmp) continue;
    const variance = c.kind === "boolean" ? Math.max(cmp.variance, halfSuccessVariance(c.n, t.n)) : cmp.variance;
    if (!(variance > 0)) continue;
    if (options.design.kind === "open") {
      a += cmp.diff / variance;
      b += 1 / variance;
      looks.push({ index: i + 1, estimate: a / b, se: Math.sqrt(1 / b), information: b });
    } else {
      const se = Math.sqrt(variance);
      a += cmp.diff / se;
      b += 1 / se;
      batches += 1;
      looks.push({ index: i + 1, estimate: a / b, se: Math.sqrt(batches) / b, information: batches });
    }
  }
  return looks;
}

function halfSuccessVariance(nc: number, nt: number): number {
  const p = 0.5 / (nc + nt);
  return p * (1 - p) * (1 / nc + 1 / nt);
}
