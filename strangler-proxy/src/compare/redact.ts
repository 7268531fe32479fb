import type { IncomingHttpHeaders } from 'node:http';
import { anyMatch, compilePathPattern, type PathMatcher, type Segment } from './field-path.ts';

/** Redaction rules as written in shadow-rules.json. */
export interface RedactionInput {
  /** Body paths whose values are replaced (`$..password`). */
  paths?: readonly string[];
  /** Header names whose values are replaced (request and response). */
  headers?: readonly string[];
  /** Query parameters whose values are replaced. */
  query?: readonly string[];
}

export interface Redaction {
  readonly paths: readonly PathMatcher[];
  readonly headers: ReadonlySet<string>;
  readonly query: ReadonlySet<string>;
}

export const redactedMark = '[redacted]';

/** Always redacted, whatever the config says: credentials, card data, e-mail addresses, cookies. */
export const builtInRedaction: Required<RedactionInput> = {
  paths: ['$..password', '$..passwordHash', '$..password_hash', '$..token', '$..accessToken', '$..refreshToken', '$..access_token', '$..refresh_token',
    '$..secret', '$..apiKey', '$..cardNumber', '$..card_number', '$..pan', '$..cvc', '$..cvv', '$..email'],
  headers: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-ficus-user', 'x-api-key'],
  query: ['token', 'access_token', 'password', 'email', 'api_key'],
};

export const compileRedaction = (...inputs: RedactionInput[]): Redaction => Object.freeze({
  paths: Object.freeze(inputs.flatMap((i) => i.paths ?? []).map(compilePathPattern)),
  headers: new Set(inputs.flatMap((i) => i.headers ?? []).map((h) => h.toLowerCase())),
  query: new Set(inputs.flatMap((i) => i.query ?? [])),
});

// Defence in depth for values no path names: e-mail addresses and card-like digit runs.
const emailRe = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const cardRe = /\b(?:\d[ -]?){12,18}\d\b/g;
export const scrubText = (s: string): string => s.replace(emailRe, redactedMark).replace(cardRe, redactedMark);

/** A copy of a JSON value with configured paths replaced and e-mails/card numbers scrubbed from strings. */
export const redactJson = (value: unknown, r: Redaction): unknown => {
  const walk = (v: unknown, path: Segment[]): unknown => {
    if (path.length && anyMatch(r.paths, path)) return redactedMark;
    if (typeof v === 'string') return scrubText(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
  };
  return walk(value, []);
};

/** Request or response headers with sensitive values replaced. Accepts undici's flat list too. */
export const redactHeaders = (h: IncomingHttpHeaders | readonly string[], r: Redaction): Record<string, string> => {
  const out: Record<string, string> = {};
  const put = (name: string, value: string) => {
    const k = name.toLowerCase();
    const v = r.headers.has(k) ? redactedMark : scrubText(value);
    out[k] = out[k] === undefined ? v : `${out[k]}, ${v}`;
  };
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) put(h[i]!, h[i + 1]!);
  } else {
    for (const [k, v] of Object.entries(h as IncomingHttpHeaders)) if (v !== undefined) put(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return out;
};

/** Path and query with sensitive query values replaced. */
export const redactUrl = (url: string, r: Redaction): string => {
  const q = url.indexOf('?');
  if (q < 0) return scrubText(url);
  const params = url.slice(q + 1).split('&').map((kv) => {
    const eq = kv.indexOf('=');
    const name = decodeURIComponent((eq < 0 ? kv : kv.slice(0, eq)).replace(/\+/g, ' '));
    return r.query.has(name) && eq >= 0 ? `${kv.slice(0, eq)}=${encodeURIComponent(redactedMark)}` : scrubText(kv);
  });
  return `${scrubText(url.slice(0, q))}?${params.join('&')}`;
};

/**
 * A body as it may be stored: JSON redacted by path, form bodies by field name, other text scrubbed,
 * binary never (only its size and hash are kept). Capped at `maxChars`.
 */
export const redactBody = (body: Buffer | undefined, contentType: string | undefined, r: Redaction, maxChars: number): { text: string | undefined; json: unknown; truncated: boolean } => {
  if (!body || body.length === 0) return { text: undefined, json: undefined, truncated: false };
  const ct = (contentType ?? '').toLowerCase();
  if (/[/+]json\b/.test(ct)) {
    try {
      const json = redactJson(JSON.parse(body.toString('utf8')), r);
      const text = JSON.stringify(json);
      return text.length <= maxChars ? { text: undefined, json, truncated: false } : { text: text.slice(0, maxChars), json: undefined, truncated: true };
    } catch {
      // invalid JSON: stored as scrubbed text below
    }
  }
  if (ct.startsWith('application/x-www-form-urlencoded')) {
    const text = redactUrl(`?${body.toString('utf8')}`, { ...r, query: new Set([...r.query, ...builtInFormFields]) }).slice(1);
    return { text: text.slice(0, maxChars), json: undefined, truncated: text.length > maxChars };
  }
  if (/^text\/|[/+](xml|html|javascript)\b/.test(ct) || (!ct && isProbablyText(body))) {
    const text = scrubText(body.toString('utf8'));
    return { text: text.slice(0, maxChars), json: undefined, truncated: text.length > maxChars };
  }
  return { text: undefined, json: undefined, truncated: false };
};

const builtInFormFields = ['password', 'token', 'card_number', 'cardNumber', 'cvc', 'cvv', 'email'];

const isProbablyText = (b: Buffer) => {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) if (b[i] === 0) return false;
  return true;
};

/** Difference values at redacted paths replaced too (they are stored and shown). */
export const redactDifferenceValue = (path: readonly Segment[], value: unknown, r: Redaction): unknown =>
  anyMatch(r.paths, path) ? redactedMark : redactJson(value, r);
