import { createHash } from "node:crypto";

/**
 * Variant choice. With an episode id the draw is a hash of (function, episode): every app
 * instance picks the same variant for the same episode, with no shared state. Without one the
 * draw is random. Variants of weight 0 are never drawn; they serve only as fallbacks or pins.
 */
export interface Weighted {
  name: string;
  weight: number;
}

/** A number in [0, 1) from sha256(function + "\0" + episode id). */
export function stickyDraw(functionName: string, episodeId: string): number {
  const digest = createHash("sha256").update(`${functionName}\0${episodeId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** Picks by weight for a draw in [0, 1); names are sorted first so config order does not matter. */
export function pickWeighted(variants: Weighted[], draw: number): string {
  const eligible = variants.filter((v) => v.weight > 0).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const total = eligible.reduce((sum, v) => sum + v.weight, 0);
  if (eligible.length === 0 || total <= 0) throw new Error("no variant has a positive weight");
  let point = draw * total;
  for (const v of eligible) {
    if (point < v.weight) return v.name;
    point -= v.weight;
  }
  return eligible[eligible.length - 1]!.name;
}

/** The order in which to try variants: the chosen one, then the others by weight (highest first). */
export function fallbackOrder(variants: Weighted[], chosen: string): string[] {
  const rest = variants.filter((v) => v.name !== chosen).sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1));
  return [chosen, ...rest.map((v) => v.name)];
}
