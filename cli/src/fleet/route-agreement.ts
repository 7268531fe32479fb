// Whether a proxy fleet's replicas do the same with each route: each replica follows the Unleash
// flags and the ownership store on its own, so one with stale flags (or a different route table)
// keeps serving its old choice while the others moved. Pure: the command fetches, this compares.

export interface RouteRow {
  id: string; methods: string[]; path: string; header: { name: string; value: string } | null; service: string; flag: string;
  flagExists: boolean; flagEnabled: boolean; mode: string; percent: number; problem: string | null; safe: string; fallbackToLegacy: boolean; effective: string;
  unit: string | null; owner: string | null; ownerState: string | null; flagDisagrees: boolean;
}
export interface RoutesAnswer { flags: { stale: boolean; stalenessMs: number | null; lastSyncAt: string | null }; routes: RouteRow[] }

/** One replica's admin API and what it answered (or why it did not). */
export interface ReplicaRoutes { url: string; answer?: RoutesAnswer; error?: string }

/** What a route does on one replica, in the words `ficus routes` prints. */
export const routeBehaviour = (r: RouteRow): string => {
  const mode = r.mode === 'legacy' ? 'legacy' : `${r.mode} ${r.percent}%`;
  const flag = !r.flagExists ? 'flag missing' : r.flagEnabled ? 'flag on' : 'flag off';
  const writes = r.unit ? `, writes to ${r.owner}${r.ownerState === 'holding' ? ' (held)' : ''}` : '';
  return `${mode} (${flag})${writes}`;
};

/**
 * The problems of a fleet, one line each: replicas that did not answer, replicas on stale flags,
 * and every route whose behaviour differs between the replicas that answered (or that some lack).
 * Empty: every replica answered, fresh, and they agree.
 */
export const fleetProblems = (replicas: readonly ReplicaRoutes[]): string[] => {
  const out: string[] = [];
  for (const r of replicas) {
    if (!r.answer) out.push(`replica ${r.url}: ${r.error ?? 'no answer'}`);
    else if (r.answer.flags.stale) out.push(`replica ${r.url}: flags STALE (last sync ${r.answer.flags.lastSyncAt ?? 'never'}): its routes are on their safe targets`);
  }
  const answered = replicas.filter((r): r is ReplicaRoutes & { answer: RoutesAnswer } => r.answer !== undefined);
  if (answered.length < 2) return out;
  const ids = [...new Set(answered.flatMap((r) => r.answer.routes.map((x) => x.id)))];
  for (const id of ids) {
    const seen = answered.map((r) => {
      const row = r.answer.routes.find((x) => x.id === id);
      return { url: r.url, behaviour: row ? routeBehaviour(row) : 'no such route' };
    });
    if (new Set(seen.map((s) => s.behaviour)).size > 1) out.push(`${id}: replicas disagree: ${seen.map((s) => `${s.url} ${s.behaviour}`).join('; ')}`);
  }
  return out;
};
