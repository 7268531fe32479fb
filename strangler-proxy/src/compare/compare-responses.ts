import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { CompareRules } from './compare-rules.ts';
import { fieldOf, formatPath, type Segment } from './field-path.ts';
import { diffJson, type ChangeKind } from './json-diff.ts';
import { normaliseJson } from './normalise.ts';

/** One side's response as the shadow machinery captured it. */
export interface CapturedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The whole body, or undefined when it was larger than the capture bound (then only hash and size are known). */
  body: Buffer | undefined;
  bodyBytes: number;
  /** sha256 (hex) of the whole body as received. */
  bodyHash: string;
}

export type DifferenceWhere = 'status' | 'header' | 'body';

/** One difference, by where it is and its path (`$.items[2].price`), with the field it is counted under. */
export interface Difference {
  where: DifferenceWhere;
  /** `status`, `header:content-type`, or a body path. */
  path: string;
  /** The body path as segments (empty for status and headers). */
  segments: Segment[];
  /** What counters and noise learning key on: indices generalised (`$.items[*].price`). */
  field: string;
  kind: ChangeKind;
  primary?: unknown;
  candidate?: unknown;
}

export type BodyMode = 'json' | 'hash' | 'empty';

export interface Comparison {
  differences: Difference[];
  /** Differences found (the list is capped by `maxDifferences`). */
  total: number;
  bodyMode: BodyMode;
  /** Why the bodies could not be compared (invalid JSON, undecodable encoding): the comparison is an error. */
  error: string | undefined;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const headerValue = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

const isJsonType = (h: IncomingHttpHeaders) => /[/+]json\b/i.test(headerValue(h, 'content-type') ?? '');

const decode = (r: CapturedResponse, limit: number): Buffer => {
  const enc = (headerValue(r.headers, 'content-encoding') ?? '').trim().toLowerCase();
  const body = r.body!;
  if (!enc || enc === 'identity') return body;
  const opts = { maxOutputLength: limit };
  if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body, opts);
  if (enc === 'deflate') return inflateSync(body, opts);
  if (enc === 'br') return brotliDecompressSync(body, opts);
  throw new Error(`unsupported content-encoding ${enc}`);
};

const withinTolerance = (rules: CompareRules, path: Segment[], a: unknown, b: unknown): boolean => {
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  for (const t of rules.tolerance) {
    if (!t.match(path)) continue;
    const delta = Math.abs(a - b);
    if (delta <= t.absolute || delta <= Math.abs(a) * t.relative) return true;
  }
  return false;
};

const hashLabel = (r: CapturedResponse) => `sha256:${r.bodyHash.slice(0, 16)} (${r.bodyBytes} bytes)`;

/**
 * Compares legacy's response (`primary`) with the service's (`candidate`) under one route's rules:
 * status, the configured headers, and the body (JSON structurally after normalisation, anything
 * else, and bodies over the capture bound, by sha256). Pure apart from hashing and decompression.
 */
export const compareResponses = (primary: CapturedResponse, candidate: CapturedResponse, rules: CompareRules, decodeLimit = 64 << 20): Comparison => {
  const all: Difference[] = [];
  if (primary.status !== candidate.status) all.push({ where: 'status', path: 'status', segments: [], field: 'status', kind: 'changed', primary: primary.status, candidate: candidate.status });
  for (const name of rules.headers) {
    const a = headerValue(primary.headers, name);
    const b = headerValue(candidate.headers, name);
    if (a === b) continue;
    const path = `header:${name}`;
    all.push({ where: 'header', path, segments: [], field: path, kind: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed', primary: a, candidate: b });
  }
  let bodyMode: BodyMode = 'hash';
  let error: string | undefined;
  if (primary.bodyBytes === 0 && candidate.bodyBytes === 0) {
    bodyMode = 'empty';
  } else if (primary.bodyBytes === candidate.bodyBytes && (primary.body && candidate.body ? primary.body.equals(candidate.body) : primary.bodyHash === candidate.bodyHash)) {
    // byte-identical bodies: normalisation can only remove differences, so there are none to find
    bodyMode = primary.body && isJsonType(primary.headers) && isJsonType(candidate.headers) ? 'json' : 'hash';
  } else if (primary.body && candidate.body && isJsonType(primary.headers) && isJsonType(candidate.headers)) {
    let a: unknown;
    let b: unknown;
    try {
      a = JSON.parse(decode(primary, decodeLimit).toString('utf8'));
    } catch (e) {
      error = `primary body is not valid JSON (${(e as Error).message})`;
    }
    if (!error) {
      try {
        b = JSON.parse(decode(candidate, decodeLimit).toString('utf8'));
      } catch (e) {
        error = `candidate body is not valid JSON (${(e as Error).message})`;
      }
    }
    if (!error) {
      bodyMode = 'json';
      for (const c of diffJson(normaliseJson(a, rules), normaliseJson(b, rules))) {
        if (c.kind === 'changed' && withinTolerance(rules, c.path, c.primary, c.candidate)) continue;
        all.push({ where: 'body', path: formatPath(c.path), segments: c.path, field: fieldOf(c.path), kind: c.kind, primary: c.primary, candidate: c.candidate });
      }
    }
  } else if (primary.bodyHash !== candidate.bodyHash) {
    all.push({ where: 'body', path: '$', segments: [], field: '$', kind: 'changed', primary: hashLabel(primary), candidate: hashLabel(candidate) });
  }
  return { differences: all.slice(0, rules.maxDifferences), total: all.length, bodyMode, error };
};
