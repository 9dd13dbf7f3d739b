import { betaI, gammaP, gammaQ, logGamma } from "./special";

/** Standard normal CDF, through erfc(x) = Q(1/2, x²), so tails keep their relative precision. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = Math.abs(z) / Math.SQRT2;
  const tail = 0.5 * gammaQ(0.5, x * x);
  return z >= 0 ? 1 - tail : tail;
}

/**
 * Φ̄(x) = P(Z > x) by Hart's algorithm 5666 (as in West 2005): a rational function times
 * exp(−x²/2), so tails keep their relative precision (within 1e-8 of the incomplete-gamma route of
 * distributions.ts down to 1e-300, tested), about ten times faster; group-sequential.ts calls it a lot.
 */
export function normalTail(x: number): number {
  const a = Math.abs(x);
  let c = 0;
  if (a <= 37) {
    const e = Math.exp(-0.5 * a * a);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      c = e / b / Math.sqrt(2 * Math.PI);
    }
  }
  return x < 0 ? 1 - c : c;
}

/** Two-sided p-value of a standard normal statistic. */
export function normalTwoSided(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? NaN : 0;
  return gammaQ(0.5, (z * z) / 2);
}

/** Inverse of the standard normal CDF: Acklam's rational approximation plus one Halley step. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const at = (arr: number[], i: number) => arr[i] ?? 0;
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const num = ((((at(c, 0) * q + at(c, 1)) * q + at(c, 2)) * q + at(c, 3)) * q + at(c, 4)) * q + at(c, 5);
    const den = (((at(d, 0) * q + at(d, 1)) * q + at(d, 2)) * q + at(d, 3)) * q + 1;
    x = p < low ? num / den : -num / den;
  } else {
    const q = p - 0.5;
    const r = q * q;
    const num = (((((at(a, 0) * r + at(a, 1)) * r + at(a, 2)) * r + at(a, 3)) * r + at(a, 4)) * r + at(a, 5)) * q;
    const den = ((((at(b, 0) * r + at(b, 1)) * r + at(b, 2)) * r + at(b, 3)) * r + at(b, 4)) * r + 1;
    x = num / den;
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Student's t CDF with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e7) return normalCdf(t);
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * betaI(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a t statistic, computed in the tail directly. */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e7) return normalTwoSided(t);
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return betaI(df / (df + t * t), df / 2, 0.5);
}

export function studentTPdf(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Inverse of Student's t CDF: Newton's method from the normal quantile (a few steps), falling
 * back to bisection on the monotone CDF if Newton ever leaves its bracket.
 */
export function studentTQuantile(p: number, df: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (!Number.isFinite(df) || df > 1e7) return normalQuantile(p);
  let lo = -1;
  let hi = 1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  while (studentTCdf(hi, df) < p) hi *= 2;
  let x = Math.min(hi, Math.max(lo, normalQuantile(p)));
  for (let i = 0; i < 100; i++) {
    const f = studentTCdf(x, df) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const step = f / studentTPdf(x, df);
    let next = x - step;
    // Leave Newton for a bisection step whenever it would jump out of the bracket.
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** Upper tail of the chi-square distribution: P(X ≥ x) with k degrees of freedom. */
export function chiSquareSurvival(x: number, k: number): number {
  return gammaQ(k / 2, x / 2);
}

export function chiSquareCdf(x: number, k: number): number {
  return gammaP(k / 2, x / 2);
}
