import { compareResponses, type BodyMode, type CapturedResponse, type Difference } from '../compare/compare-responses.ts';
import { classifyNoise, emptyNoiseModel, learnNoise, type NoiseModel } from '../compare/noise.ts';
import { isSafeMethod, type MirroredExchange, type SideResult } from './mirroring-shadow-sink.ts';

export type ShadowOutcome = 'match' | 'mismatch' | 'noise' | 'lag' | 'error' | 'skipped';

/** What one mirrored exchange came to. */
export interface ShadowVerdict {
  outcome: ShadowOutcome;
  /** For error and skipped: what went wrong; for lag: how it was decided. */
  reason: string | undefined;
  /** Real differences (for `lag`: the ones the retry no longer saw, or that CDC lag explains). */
  differences: Difference[];
  /** Differences on fields known to be nondeterministic on legacy. */
  noise: Difference[];
  /** Differences between legacy's two answers (learned as noise). */
  legacyPair: Difference[];
  total: number;
  bodyMode: BodyMode | undefined;
  /** The candidate answer the verdict is about (the retry's, after a read-after-write wait). */
  candidate: SideResult;
  retried: boolean;
}

/** The CDC's answer to "has the data the primary saw reached the service?" (cdc/src/positions). */
export interface ShadowSyncCheck {
  /** The legacy source's position now; undefined when the CDC does not answer. */
  position(routeId: string): Promise<string | undefined>;
  /** Waits up to `maxWaitMs` for the route's pipeline to apply `position`: true once applied, false if not in time, undefined when unknown. */
  waitApplied(routeId: string, position: string, maxWaitMs: number): Promise<boolean | undefined>;
}

export interface ShadowComparatorOptions {
  /** Asks the CDC whether a position was applied; preferred to `lagMs` when it answers. */
  sync?: ShadowSyncCheck;
  /** Learned noise per route, e.g. loaded from the store at start. */
  initialNoise?: Record<string, NoiseModel>;
  /** Replication lag the CDC pipelines report for a route's data (ms), when known. */
  lagMs?: (routeId: string) => number | undefined;
  /** Waits before a read-after-write retry (tests may shorten it). */
  wait?: (ms: number) => Promise<void>;
}

const defaultWait = (ms: number) => new Promise<void>((r) => { setTimeout(r, ms).unref(); });

/**
 * Turns a mirrored exchange into a verdict: compares legacy's answer with the candidate's under
 * the route's rules, learns noise from a second legacy answer and sets noisy fields apart, and for
 * routes with read-after-write compares a mismatching read once more after the declared wait
 * (what then matches, or what CDC lag explains, is `lag`, not divergence).
 */
export const createShadowComparator = (o: ShadowComparatorOptions = {}) => {
  const models = new Map<string, NoiseModel>(Object.entries(o.initialNoise ?? {}));
  const wait = o.wait ?? defaultWait;

  const verdict = (v: Partial<ShadowVerdict> & Pick<ShadowVerdict, 'outcome' | 'candidate'>): ShadowVerdict =>
    ({ reason: undefined, differences: [], noise: [], legacyPair: [], total: 0, bodyMode: undefined, retried: false, ...v });

  return {
    noiseModel: (routeId: string): NoiseModel => models.get(routeId) ?? emptyNoiseModel(),

    async compare(x: MirroredExchange): Promise<ShadowVerdict> {
      const route = x.offer.routeId;
      if ('error' in x.primary) return verdict({ outcome: 'skipped', reason: `primary: ${x.primary.error}`, candidate: x.candidate });
      if ('error' in x.candidate) return verdict({ outcome: 'error', reason: `candidate: ${x.candidate.error}`, candidate: x.candidate });
      const primary = x.primary.response;
      const decodeLimit = Math.max(x.rules.maxBodyBytes * 16, 1 << 20);

      let legacyPair: Difference[] = [];
      if (x.legacyAgain && 'response' in x.legacyAgain) {
        const pair = compareResponses(primary, x.legacyAgain.response, x.rules.compare, decodeLimit);
        if (!pair.error) {
          legacyPair = pair.differences;
          models.set(route, learnNoise(models.get(route) ?? emptyNoiseModel(), legacyPair));
        }
      }
      const policy = { minCount: x.rules.noise?.minCount ?? 1 };
      const judge = (candidate: CapturedResponse) => {
        const c = compareResponses(primary, candidate, x.rules.compare, decodeLimit);
        return { c, ...classifyNoise(c.differences, models.get(route) ?? emptyNoiseModel(), policy, legacyPair) };
      };

      const first = judge(x.candidate.response);
      if (first.c.error) return verdict({ outcome: 'error', reason: first.c.error, candidate: x.candidate, differences: first.real, noise: first.noise, legacyPair, total: first.c.total, bodyMode: first.c.bodyMode });
      const settled = (j: typeof first, candidate: SideResult, retried: boolean) => verdict({
        outcome: j.real.length ? 'mismatch' : j.noise.length ? 'noise' : 'match',
        differences: j.real, noise: j.noise, legacyPair, total: j.c.total, bodyMode: j.c.bodyMode, candidate, retried,
      });
      if (!first.real.length || x.rules.readAfterWriteMs === undefined || !isSafeMethod(x.offer.method)) return settled(first, x.candidate, false);

      // Read-after-write: the service's copy of the data may still be on its way through CDC. With
      // the CDC's position check, wait until what legacy held by now is applied (at most the
      // route's wait): a difference that remains after that is real, not lag.
      const position = await o.sync?.position(route).catch(() => undefined);
      const applied = position === undefined ? undefined : await o.sync!.waitApplied(route, position, x.rules.readAfterWriteMs).catch(() => undefined);
      if (applied === undefined) await wait(x.rules.readAfterWriteMs);
      const again = await x.resend();
      if ('response' in again) {
        const second = judge(again.response);
        const lagged = (reason: string, j: typeof first) =>
          verdict({ outcome: 'lag', reason, differences: j.real, noise: second.noise, legacyPair, total: j.c.total, bodyMode: second.c.bodyMode, candidate: again, retried: true });
        if (!second.c.error && !second.real.length) {
          return lagged(applied ? `matched once the sync had applied ${position}` : `matched after ${x.rules.readAfterWriteMs} ms`, first);
        }
        if (!second.c.error && applied === false) return lagged(`still differs; the sync had not applied ${position} after ${x.rules.readAfterWriteMs} ms`, second);
        if (!second.c.error && applied) return { ...settled(second, again, true), reason: `still differs after the sync applied ${position}` };
        const lag = o.lagMs?.(route);
        if (!second.c.error && lag !== undefined && lag > 0) return lagged(`still differs after ${x.rules.readAfterWriteMs} ms; CDC reports ${Math.round(lag)} ms of lag`, second);
        if (!second.c.error) return settled(second, again, true);
      }
      return settled(first, x.candidate, true);
    },
  };
};
export type ShadowComparator = ReturnType<typeof createShadowComparator>;
