// Instant PromQL queries against a Prometheus-compatible server (the stack's VictoriaMetrics):
// what the migration gates ask across every replica.
import { FicusError } from '../errors/ficus-error.ts';
import { readStackEnv } from '../stack/stack-env.ts';

export interface PromqlSample {
  /** The series' labels (`__name__` is gone after most functions). */
  metric: Record<string, string>;
  /** Unix seconds of the evaluation. */
  time: number;
  /** `NaN` and `±Infinity` come through as such (a quantile over no requests is NaN). */
  value: number;
}

export type PromqlResult =
  | { resultType: 'vector'; samples: PromqlSample[] }
  | { resultType: 'scalar'; time: number; value: number };

export interface PromqlQueryOptions {
  /** Evaluation time (default: the server's now). */
  time?: Date | number;
}

export interface PromqlClientOptions {
  /** Server base URL. Default: `FICUS_METRICS_URL` (the stack's VictoriaMetrics). */
  url?: string;
  /** Per query, connection included (default 5 s). */
  timeoutMs?: number;
}

export interface PromqlClient {
  /**
   * Evaluates `expr` at one instant. Throws PROMQL_QUERY_INVALID (the server refused the
   * expression, or it yields a range vector), PROMQL_UNAVAILABLE (unreachable, timed out, 5xx;
   * retriable) or PROMQL_RESPONSE_INVALID (an answer that is not Prometheus' API).
   *
   * @example
   * const r = await promql.query('sum(rate(http_requests_total{job="strangler-proxy"}[30s]))');
   */
  query(expr: string, o?: PromqlQueryOptions): Promise<PromqlResult>;
}

const responseInvalid = (message: string) => new FicusError('PROMQL_RESPONSE_INVALID', message);

const parseValue = (v: unknown, where: string): { time: number; value: number } => {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'string') {
    throw responseInvalid(`${where}: expected [unixSeconds, "value"], got ${JSON.stringify(v)?.slice(0, 120)}`);
  }
  const raw = v[1];
  const value = raw === '+Inf' || raw === 'Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
  if (Number.isNaN(value) && raw !== 'NaN') throw responseInvalid(`${where}: value ${JSON.stringify(raw)} is not a number`);
  return { time: v[0], value };
};

/** The `data` of a successful `/api/v1/query` answer, typed. Pure; exported for its tests. */
export const parseInstantData = (data: unknown, expr: string): PromqlResult => {
  const d = data as { resultType?: unknown; result?: unknown } | null;
  if (!d || typeof d !== 'object') throw responseInvalid(`query ${expr}: no data in the answer`);
  if (d.resultType === 'scalar') return { resultType: 'scalar', ...parseValue(d.result, `query ${expr}`) };
  if (d.resultType === 'matrix') {
    throw new FicusError('PROMQL_QUERY_INVALID', `query ${expr} gives a range vector; ask for an instant one (wrap the [range] in rate(), increase(), avg_over_time() …)`);
  }
  if (d.resultType !== 'vector' || !Array.isArray(d.result)) {
    throw responseInvalid(`query ${expr}: result type ${JSON.stringify(d.resultType)} (expected vector or scalar)`);
  }
  return {
    resultType: 'vector',
    samples: d.result.map((s: { metric?: unknown; value?: unknown }) => {
      if (!s || typeof s.metric !== 'object' || s.metric === null) throw responseInvalid(`query ${expr}: a sample without labels`);
      return { metric: s.metric as Record<string, string>, ...parseValue(s.value, `query ${expr}`) };
    }),
  };
};

const unixSeconds = (t: Date | number) => (t instanceof Date ? t.getTime() / 1000 : t);

export const createPromqlClient = (o: PromqlClientOptions = {}): PromqlClient => {
  const base = (o.url ?? readStackEnv().FICUS_METRICS_URL).replace(/\/+$/, '');
  const timeoutMs = o.timeoutMs ?? 5_000;
  return {
    async query(expr, q = {}) {
      if (typeof expr !== 'string' || !expr.trim()) throw new FicusError('PROMQL_QUERY_INVALID', 'a PromQL expression is needed (got an empty one)');
      const form = new URLSearchParams({ query: expr });
      if (q.time !== undefined) {
        const t = unixSeconds(q.time);
        if (!Number.isFinite(t)) throw new FicusError('PROMQL_QUERY_INVALID', `query ${expr}: time ${String(q.time)} is not a valid instant`);
        form.set('time', String(t));
      }
      let res: Response;
      let body: string;
      try {
        res = await fetch(`${base}/api/v1/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await res.text();
      } catch (e) {
        const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e as { cause?: Error }).cause?.message ?? (e as Error).message);
        throw new FicusError('PROMQL_UNAVAILABLE', `PromQL server ${base} unreachable: ${why}`, { retriable: true, cause: e });
      }
      let json: { status?: unknown; data?: unknown; error?: unknown; errorType?: unknown } | undefined;
      try { json = JSON.parse(body) as typeof json; } catch { json = undefined; }
      if (res.status >= 500) {
        throw new FicusError('PROMQL_UNAVAILABLE', `PromQL server ${base} answered ${res.status}: ${String(json?.error ?? body).slice(0, 300)}`, { retriable: true });
      }
      if (res.status === 400 || res.status === 422 || json?.status === 'error') {
        throw new FicusError('PROMQL_QUERY_INVALID', `query ${expr} refused (${res.status}): ${String(json?.error ?? body).slice(0, 500)}`, { details: { errorType: json?.errorType } });
      }
      if (!res.ok || json?.status !== 'success') throw responseInvalid(`PromQL server ${base} answered ${res.status} with ${body.slice(0, 200)}`);
      return parseInstantData(json.data, expr);
    },
  };
};

/** The one value of a scalar or one-sample vector; `undefined` for an empty vector (no series). */
export const singleValue = (r: PromqlResult): number | undefined => {
  if (r.resultType === 'scalar') return r.value;
  if (r.samples.length > 1) throw new FicusError('PROMQL_QUERY_INVALID', `expected at most one series, got ${r.samples.length} (aggregate with sum() or by())`);
  return r.samples[0]?.value;
};
