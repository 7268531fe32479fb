import { z } from 'zod';
import { FicusError } from '../errors/ficus-error.ts';

/** The stack's Jaeger (OTLP over HTTP), where spans go unless `OTEL_EXPORTER_OTLP_ENDPOINT` says otherwise. */
export const defaultOtlpEndpoint = 'http://127.0.0.1:14318';

export interface TracingConfig {
  /** `FICUS_TRACING=on`: spans are made and exported; off (the default), nothing is loaded on any path. */
  enabled: boolean;
  /** `OTEL_SERVICE_NAME`, else the deployable's own name (`orders-service`). */
  serviceName: string;
  /**
   * Where spans are POSTed (OTLP/HTTP JSON): `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` (or the stack's `FICUS_OTLP_HTTP_ENDPOINT`) + `/v1/traces`.
   */
  tracesUrl: string;
  /**
   * `FICUS_TRACING_SAMPLE_RATIO` (0…1, default 1: every request locally): the share of new traces
   * recorded. A request that arrives with a `traceparent` follows its sampled flag (parent-based);
   * 0 records nothing of its own but still passes the trace context on.
   */
  sampleRatio: number;
  /**
   * `FICUS_TRACING_ZIPKIN_URL` (a Zipkin server's base URL, e.g. the stack's `http://127.0.0.1:19411`):
   * recorded spans also go to `<url>/api/v2/spans`, for Zipkin's web UI; unset, empty or `off`: only OTLP.
   */
  zipkinSpansUrl?: string;
}

const onOff = z.enum(['on', 'off', 'true', 'false', '1', '0'], { message: 'expected on or off' }).transform((v) => v === 'on' || v === 'true' || v === '1');
const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'expected an http(s) URL, e.g. http://127.0.0.1:14318');

const schema = z.object({
  FICUS_TRACING: onOff.default(false),
  FICUS_TRACING_SAMPLE_RATIO: z.coerce.number({ message: 'expected a number from 0 to 1' }).min(0, 'expected a number from 0 to 1').max(1, 'expected a number from 0 to 1').default(1),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  FICUS_OTLP_HTTP_ENDPOINT: httpUrl.default(defaultOtlpEndpoint),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  FICUS_TRACING_ZIPKIN_URL: z.string().regex(/^(off|https?:\/\/[^\s/?#]+(\/[^\s?#]*)?)?$/, 'expected off or an http(s) base URL without query, e.g. http://127.0.0.1:19411').optional(),
  OTEL_SERVICE_NAME: z.string().regex(/^[\w.-]{1,100}$/, 'expected a name of letters, digits, . _ -').optional(),
});

/** Zipkin's span intake under a base URL; a URL that already names it is kept. */
const zipkinSpansUrl = (base: string): string => {
  const b = base.replace(/\/+$/, '');
  return b.endsWith('/api/v2/spans') ? b : `${b}/api/v2/spans`;
};

/**
 * Reads the tracing settings once, at start. A bad value stops the start with
 * TRACING_CONFIG_INVALID, one line per variable. Example:
 * `readTracingConfig(process.env, 'orders-service')` with `FICUS_TRACING=on FICUS_TRACING_SAMPLE_RATIO=0.01`.
 */
export const readTracingConfig = (env: NodeJS.ProcessEnv, serviceName: string): Readonly<TracingConfig> => {
  const r = schema.safeParse(env);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `environment: ${i.path.join('.')}: ${i.message}`);
    throw new FicusError('TRACING_CONFIG_INVALID', `invalid tracing configuration\n  ${problems.join('\n  ')}`, { details: { problems } });
  }
  const e = r.data;
  const zipkin = e.FICUS_TRACING_ZIPKIN_URL && e.FICUS_TRACING_ZIPKIN_URL !== 'off' ? e.FICUS_TRACING_ZIPKIN_URL : undefined;
  return Object.freeze({
    enabled: e.FICUS_TRACING,
    serviceName: e.OTEL_SERVICE_NAME ?? serviceName,
    tracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.FICUS_OTLP_HTTP_ENDPOINT).replace(/\/+$/, '')}/v1/traces`,
    sampleRatio: e.FICUS_TRACING_SAMPLE_RATIO,
    ...(zipkin ? { zipkinSpansUrl: zipkinSpansUrl(zipkin) } : {}),
  });
};
