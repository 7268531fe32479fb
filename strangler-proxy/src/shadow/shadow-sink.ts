import type { IncomingHttpHeaders } from 'node:http';

/** The primary (legacy) response head, for comparison with the shadow's. */
export interface PrimaryHead {
  status: number;
  headers: IncomingHttpHeaders;
}

/** One request copied to the service in shadow mode. */
export interface ShadowRequest {
  routeId: string;
  requestId: string;
  /** Service origin. */
  target: string;
  method: string;
  /** Path and query exactly as the client sent them. */
  url: string;
  /** Upstream headers in undici's flat form (same as the primary got, plus `x-ficus-shadow: 1`). */
  headers: string[];
  body: Buffer | undefined;
  /** Resolves with the primary's response head (undefined when the primary failed). */
  primary: Promise<PrimaryHead | undefined>;
}

/** What came back from the shadow side. */
export interface ShadowResult {
  request: ShadowRequest;
  status: number | undefined;
  headers: IncomingHttpHeaders | undefined;
  /** Captured only when the sink was built with `captureBodyBytes` > 0 (bounded). */
  body: Buffer | undefined;
  durationMs: number;
  error: string | undefined;
}

/**
 * SEAM: where shadow copies go. The proxy asks for a slot before copying the body, so copies are
 * bounded and never queued: without a slot the copy is dropped (counted) and the primary goes on.
 * The comparison issue plugs in here (a sink whose `onResult` compares with the primary).
 */
export interface ShadowSink {
  tryAcquire(): boolean;
  /** Sends the copy off the critical path; must not throw; releases the slot when done. */
  mirror(request: ShadowRequest): void;
  /** Gives back a slot that was acquired but not used (body too large, client gone). */
  release(): void;
}
