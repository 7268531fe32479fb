import { randomFillSync } from 'node:crypto';

// W3C Trace Context `traceparent` (version 00) read and written by hand: the proxy's hot path must
// not build a context object, a carrier or a span for a request that is not recorded.

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const zeroTrace = '00000000000000000000000000000000';
const zeroSpan = '0000000000000000';

export interface ParsedTraceparent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** The parts of a valid version-00 `traceparent`, or undefined (absent, malformed, all-zero ids). */
export const parseTraceparent = (value: string | undefined): ParsedTraceparent | undefined => {
  if (value === undefined || value.length !== 55) return undefined;
  const m = traceparentPattern.exec(value);
  if (!m || m[1] === zeroTrace || m[2] === zeroSpan) return undefined;
  return { traceId: m[1]!, spanId: m[2]!, sampled: (parseInt(m[3]!, 16) & 1) === 1 };
};

/** Whether a valid `traceparent` has its sampled flag set: one character test, no parse object. */
export const traceparentSampled = (value: string): boolean => (value.charCodeAt(54) & 1) === 1;

/** A syntactically valid version-00 `traceparent` (length and pattern, no all-zero ids). */
export const isValidTraceparent = (value: string | undefined): value is string =>
  value !== undefined && value.length === 55 && traceparentPattern.test(value) &&
  !value.startsWith(zeroTrace, 3) && !value.startsWith(zeroSpan, 36);

export const formatTraceparent = (traceId: string, spanId: string, sampled: boolean): string =>
  `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;

// Random ids from one pre-filled buffer, hex-encoded once per 170 traceparents (slices of one
// string after that) instead of a random call and an encoding each.
const pool = Buffer.allocUnsafe(24 * 170);
let hex = '';
let at = hex.length;

/**
 * A new `traceparent` for a request that starts a trace and is not recorded: downstream services
 * see the decision (flag 00) and a trace id they share, instead of each sampling on its own.
 */
export const unsampledTraceparent = (): string => {
  if (at + 48 > hex.length) { randomFillSync(pool); hex = pool.toString('hex'); at = 0; }
  const s = `00-${hex.slice(at, at + 32)}-${hex.slice(at + 32, at + 48)}-00`;
  at += 48;
  return s;
};
