import type { Logger } from '@ficus/common/core';
import type { CapturedResponse } from '../compare/compare-responses.ts';
import type { Upstreams } from '../engine-shared/upstreams.ts';
import { BodyCapture } from './body-capture.ts';
import { undiciCopyTransport, type CopyTransport } from './copy-transport.ts';
import type { ShadowLanes } from './shadow-lanes.ts';
import type { ShadowRouteRules, ShadowRules } from './shadow-rules.ts';
import type { PrimaryHead, PrimaryTap, ShadowAdmission, ShadowOffer, ShadowRequest, ShadowResult, ShadowSink, ShadowTicket } from './shadow-sink.ts';

/** Why a shadow-mode request was not mirrored (each is counted). */
export type OfferOutcome = 'mirrored' | 'sampled_out' | 'shed' | 'unsafe_skipped' | 'streamed_body';

/** One side's answer: captured, or why there is none. */
export type SideResult = { response: CapturedResponse; oversize: boolean; durationMs: number } | { error: string; durationMs: number };

/** A mirrored exchange, handed to the comparison once every side has answered. */
export interface MirroredExchange {
  offer: ShadowOffer;
  rules: ShadowRouteRules;
  /** Where the copy went: the service, or the route's sandbox. */
  target: string;
  at: Date;
  primary: SideResult;
  candidate: SideResult;
  /** Legacy asked a second time (routes with noise cancellation, safe methods only). */
  legacyAgain: SideResult | undefined;
  /** Sends the copy to the candidate again (read-after-write: data may still be syncing). */
  resend(): Promise<SideResult>;
}

export interface MirroringShadowSinkOptions {
  upstreams: Upstreams;
  rules: ShadowRules;
  lanes: ShadowLanes;
  log: Logger;
  /** Counts each offer's outcome. */
  counted: (routeId: string, outcome: OfferOutcome) => void;
  /** Compares and records; the lane slot is held until it resolves. */
  process?: (x: MirroredExchange) => Promise<void>;
  /** Receives each shadow answer before comparison (kept for callers of the first seam). */
  onResult?: (r: ShadowResult) => void;
  random?: () => number;
  /** Sheds copies while the proxy's event loop is busy (load-guard.ts); none: only the lanes bound the shadow. */
  guard?: { shed(): boolean };
  /** How copies travel; undici through `upstreams` unless the socket engine gives its own. */
  transport?: CopyTransport;
}

const safeMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (m: string): boolean => safeMethods.has(m);

const headerValue = (headers: readonly string[], name: string) => {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.length === name.length && headers[i]!.toLowerCase() === name) return headers[i + 1];
  return undefined;
};

export const shadowMarker = ['x-ficus-shadow', '1'] as const;

/**
 * The shadow sink: decides per request whether a copy is taken (write safety, sampling, per-route
 * lanes with shedding), taps the primary's response up to a bound, sends the copy (and, for routes
 * with noise cancellation, a second legacy call) off the critical path, and hands the exchange to
 * the comparison. Nothing here can delay or fail the user's response: the tap only copies, and
 * every failure on the shadow side ends up as a recorded outcome.
 */
export const createMirroringShadowSink = (o: MirroringShadowSinkOptions): ShadowSink => {
  const random = o.random ?? Math.random;
  const transport = o.transport ?? undiciCopyTransport(o.upstreams);

  const send = async (target: string, offer: ShadowOffer, headers: string[], rules: ShadowRouteRules, breaker: boolean): Promise<SideResult> => {
    const started = performance.now();
    const b = breaker ? o.upstreams.breaker(target) : undefined;
    if (b && !b.allow()) return { error: 'circuit open', durationMs: 0 };
    const capture = new BodyCapture(rules.maxBodyBytes);
    try {
      const status = await transport(target, { method: offer.method, path: offer.url, headers, body: offer.body ?? null, timeoutMs: rules.timeoutMs }, capture);
      capture.end();
      if (status >= 500) b?.failure(); else b?.success();
    } catch (e) {
      b?.failure();
      const err = e as Error & { code?: string };
      capture.fail(err.name === 'TimeoutError' || err.code === 'COPY_TIMEOUT' ? `timeout after ${rules.timeoutMs} ms` : `${err.code ?? err.name}: ${err.message}`);
    }
    const r = await capture.result();
    const durationMs = performance.now() - started;
    return 'error' in r ? { error: r.error, durationMs } : { response: r.response, oversize: capture.oversize, durationMs };
  };

  const job = (offer: ShadowOffer, rules: ShadowRouteRules, target: string, tap: BodyCapture, at: Date) => async () => {
    const headers = [...offer.headers, ...shadowMarker];
    const twice = rules.noise?.secondLegacyCall === true && isSafeMethod(offer.method);
    const [candidate, legacyAgain] = await Promise.all([
      send(target, offer, headers, rules, true),
      twice ? send(offer.legacyTarget, offer, headers, rules, false) : undefined,
    ]);
    const p = await tap.result();
    const primary: SideResult = 'error' in p ? { error: p.error, durationMs: 0 } : { response: p.response, oversize: tap.oversize, durationMs: 0 };
    if (o.onResult) {
      const head: PrimaryHead | undefined = 'response' in primary ? { status: primary.response.status, headers: primary.response.headers } : undefined;
      const request: ShadowRequest = { routeId: offer.routeId, requestId: offer.requestId, target, method: offer.method, url: offer.url, headers, body: offer.body ?? undefined, primary: Promise.resolve(head) };
      try {
        o.onResult('response' in candidate
          ? { request, status: candidate.response.status, headers: candidate.response.headers, body: candidate.response.body, durationMs: candidate.durationMs, error: undefined }
          : { request, status: undefined, headers: undefined, body: undefined, durationMs: candidate.durationMs, error: candidate.error });
      } catch (e) {
        o.log.warn({ err: (e as Error).message }, 'shadow result handler failed');
      }
    }
    if (!o.process) return;
    try {
      await o.process({ offer, rules, target, at, primary, candidate, legacyAgain, resend: () => send(target, offer, headers, rules, true) });
    } catch (e) {
      o.log.warn({ err: (e as Error).message, route: offer.routeId, requestId: offer.requestId }, 'shadow comparison failed');
    }
  };

  interface Ticket extends ShadowTicket { rules: ShadowRouteRules }

  const admit = (req: ShadowAdmission): Ticket | undefined => {
    const rules = o.rules.forRoute(req.routeId);
    let sandbox: string | undefined;
    if (!isSafeMethod(req.method)) {
      // SECURITY/DATA: a copied write would be applied twice (by the service and by CDC) unless
      // the route says how it is safe.
      const w = rules.writes;
      if (!w || (w.kind === 'idempotency-key' && req.header(w.header.toLowerCase()) === undefined)) { o.counted(req.routeId, 'unsafe_skipped'); return undefined; }
      if (w.kind === 'sandbox') sandbox = w.target;
    }
    if (req.body === undefined) { o.counted(req.routeId, 'streamed_body'); return undefined; }
    if (rules.sampleRate < 1 && random() >= rules.sampleRate) { o.counted(req.routeId, 'sampled_out'); return undefined; }
    if (o.guard?.shed()) { o.counted(req.routeId, 'shed'); return undefined; }
    return { sandbox, rules };
  };

  const take = (ticket: Ticket, offer: ShadowOffer): PrimaryTap | undefined => {
    const tap = new BodyCapture(ticket.rules.maxBodyBytes);
    const admitted = o.lanes.admit(offer.routeId, ticket.rules, job(offer, ticket.rules, ticket.sandbox ?? offer.target, tap, new Date()));
    if (admitted === 'shed') { o.counted(offer.routeId, 'shed'); return undefined; }
    o.counted(offer.routeId, 'mirrored');
    return tap;
  };

  return {
    offer(offer: ShadowOffer): PrimaryTap | undefined {
      const ticket = admit({ routeId: offer.routeId, method: offer.method, header: (name) => headerValue(offer.headers, name), body: offer.body });
      return ticket && take(ticket, offer);
    },
    admit,
    take: (ticket, offer) => take(ticket as Ticket, offer),
  };
};
