import type { Difference } from './compare-responses.ts';

/**
 * What one route has learned about its legacy side's nondeterminism (Diffy's model): for each
 * field, in how many legacy-vs-legacy comparisons it differed. Plain data so it can be stored.
 */
export interface NoiseModel {
  /** Legacy-vs-legacy comparisons made. */
  pairs: number;
  /** Field → times it differed between the two legacy answers. */
  fields: Record<string, number>;
}

export const emptyNoiseModel = (): NoiseModel => ({ pairs: 0, fields: {} });

/** Folds one legacy-vs-legacy comparison into the model (returns a new model). */
export const learnNoise = (model: NoiseModel, legacyPair: readonly Difference[]): NoiseModel => {
  const fields = { ...model.fields };
  for (const f of new Set(legacyPair.map((d) => d.field))) fields[f] = (fields[f] ?? 0) + 1;
  return { pairs: model.pairs + 1, fields };
};

export interface NoisePolicy {
  /** A field is noise once it differed between two legacy answers at least this many times. */
  minCount: number;
}

/**
 * Splits the candidate's differences into real ones and noise. A difference is noise when its
 * field differed between the two legacy answers of this very exchange, or the route has learned
 * it as nondeterministic (seen differing at least `minCount` times).
 */
export const classifyNoise = (
  differences: readonly Difference[], model: NoiseModel, policy: NoisePolicy, legacyPair: readonly Difference[] = [],
): { real: Difference[]; noise: Difference[] } => {
  const now = new Set(legacyPair.map((d) => d.field));
  const real: Difference[] = [];
  const noise: Difference[] = [];
  for (const d of differences) {
    if (now.has(d.field) || (model.fields[d.field] ?? 0) >= policy.minCount) noise.push(d);
    else real.push(d);
  }
  return { real, noise };
};
