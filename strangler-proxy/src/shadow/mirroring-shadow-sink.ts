import type { Logger } from '@ficus/common';
import type { Upstreams } from '../forward/upstreams.ts';
import type { ShadowRequest, ShadowResult, ShadowSink } from './shadow-sink.ts';

export interface MirroringShadowSinkOptions {
  upstreams: Upstreams;
  maxInFlight: number;
  timeoutMs: number;
  log: Logger;
  /** Called for every copy that was sent (and answered or failed). */
  onResult?: (r: ShadowResult) => void;
  /** Bytes of the shadow's body to keep for `onResult` (0: discard the body). */
  captureBodyBytes?: number;
}

/** Sends each copy to the service with its own pool and breaker; answers are discarded unless captured. */
export const createMirroringShadowSink = (o: MirroringShadowSinkOptions): ShadowSink & { inFlight(): number } => {
  let inFlight = 0;
  const release = () => { inFlight--; };
  const capture = o.captureBodyBytes ?? 0;
  return {
    tryAcquire() {
      if (inFlight >= o.maxInFlight) return false;
      inFlight++;
      return true;
    },
    release,
    inFlight: () => inFlight,
    mirror(request: ShadowRequest) {
      const started = performance.now();
      const breaker = o.upstreams.breaker(request.target);
      const finish = (status: number | undefined, headers: ShadowResult['headers'], body: Buffer | undefined, error: string | undefined) => {
        release();
        if (status !== undefined && status < 500) breaker.success(); else breaker.failure();
        try {
          o.onResult?.({ request, status, headers, body, durationMs: performance.now() - started, error });
        } catch (e) {
          o.log.warn({ err: (e as Error).message }, 'shadow result handler failed');
        }
      };
      if (!breaker.allow()) return finish(undefined, undefined, undefined, 'circuit open');
      o.upstreams.get(request.target).request({
        method: request.method as 'GET',
        path: request.url,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
      }).then(async (res) => {
        let body: Buffer | undefined;
        if (capture > 0) {
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of res.body) {
            if (size < capture) { chunks.push(chunk as Buffer); size += (chunk as Buffer).length; }
          }
          body = Buffer.concat(chunks).subarray(0, capture);
        } else {
          await res.body.dump();
        }
        finish(res.statusCode, res.headers, body, undefined);
      }, (err: Error) => finish(undefined, undefined, undefined, err.message));
    },
  };
};
