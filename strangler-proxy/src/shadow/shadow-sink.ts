import type { IncomingHttpHeaders } from 'node:http';

/** The primary (legacy) response head, for comparison with the shadow's. */
export interface PrimaryHead {
  status: number;
  headers: IncomingHttpHeaders;
}

/** What the forwarder knows about a shadow-mode request when it starts it (nothing is copied yet). */
export interface ShadowOffer {
  routeId: string;
  requestId: string;
  /** Service origin the copy goes to. */
  target: string;
  /** Legacy origin (a route asking for noise cancellation is asked a second time). */
  legacyTarget: string;
  method: string;
  /** Path and query exactly as the client sent them. */
  url: string;
  /** Upstream headers in undici's flat form, exactly as the primary gets them (Host included, unchanged). */
  headers: readonly string[];
  /** null: no body; Buffer: read whole; undefined: streamed to the primary, so it cannot be copied. */
  body: Buffer | null | undefined;
}

/**
 * Receives the primary's response as it streams to the user, so the shadow side can compare with
 * it. Every method is called on the hot path: each must be cheap, must not throw, and must never
 * hold the response back (a tap copies what it keeps, up to a bound, and hashes the rest).
 */
export interface PrimaryTap {
  head(status: number, headers: IncomingHttpHeaders): void;
  data(chunk: Buffer): void;
  end(): void;
  /** The primary failed or the client left; later calls are ignored. */
  fail(reason: string): void;
}

/**
 * SEAM between the forwarder and shadow traffic. The forwarder offers every shadow-mode request;
 * the sink decides (write safety, sampling, per-route queue and concurrency, shedding), and if it
 * takes a copy returns a tap for the primary's response. Must be cheap and must not throw.
 */
export interface ShadowSink {
  offer(offer: ShadowOffer): PrimaryTap | undefined;
  /**
   * The same decision as `offer` in two steps, for a front that builds the copy's header list only
   * when a copy is taken: `admit` runs every check that needs no copy (write safety, body, sampling,
   * the load guard) and counts what it turns away; `take` queues the copy it admitted.
   */
  admit?(request: ShadowAdmission): ShadowTicket | undefined;
  take?(ticket: ShadowTicket, offer: ShadowOffer): PrimaryTap | undefined;
}

/** What `admit` looks at: the request without its copy. */
export interface ShadowAdmission {
  routeId: string;
  method: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  body: Buffer | null | undefined;
}

/** An admitted copy (opaque to the front): where it goes instead of the service, if anywhere. */
export interface ShadowTicket {
  /** The route's sandbox, for a write that is safe only there. */
  readonly sandbox: string | undefined;
}

/** One request copied to the service in shadow mode (as `onShadowResult` sees it). */
export interface ShadowRequest {
  routeId: string;
  requestId: string;
  /** Origin the copy went to (the service, or the route's sandbox). */
  target: string;
  method: string;
  url: string;
  /** Headers as sent, with `x-ficus-shadow: 1`. */
  headers: string[];
  body: Buffer | undefined;
  /** Resolves with the primary's response head (undefined when the primary failed). */
  primary: Promise<PrimaryHead | undefined>;
}

/** What came back from the shadow side (before comparison). */
export interface ShadowResult {
  request: ShadowRequest;
  status: number | undefined;
  headers: IncomingHttpHeaders | undefined;
  /** The shadow's body when it fit the capture bound. */
  body: Buffer | undefined;
  durationMs: number;
  error: string | undefined;
}
