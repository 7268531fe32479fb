/**
 * SECURITY: hop-by-hop headers describe one connection and must not cross the proxy (RFC 9110
 * §7.6.1); `HTTP2-Settings` belongs to an h2c upgrade offer, which never crosses either (RFC 7540 §3.2.1).
 */
export const hopByHop: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings',
]);

/**
 * Headers a `Connection` list can never take off the request: the target (`Host`), the framing
 * (`Content-Length`), and what the proxy itself sets or replaces (X-Forwarded-*, the request id, the
 * signed user). Naming them there would otherwise let a client strip them (`Connection: close, Host`).
 */
export const notConnectionScoped: ReadonlySet<string> = new Set([
  'host', 'content-length', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'x-ficus-user',
]);

/** Extra hop-by-hop names a sender listed in its `Connection` header (never one of `notConnectionScoped`). */
export const connectionTokens = (value: string | string[] | undefined): Set<string> | undefined => {
  if (!value) return undefined;
  const set = new Set<string>();
  for (const v of Array.isArray(value) ? value : [value]) {
    for (const t of v.split(',')) {
      const name = t.trim().toLowerCase();
      if (name && name !== 'close' && name !== 'keep-alive' && !notConnectionScoped.has(name)) set.add(name);
    }
  }
  return set.size ? set : undefined;
};

export interface UpstreamHeaderOptions {
  requestId: string;
  clientAddress: string;
  /** Keep client-sent X-Forwarded-* (append to X-Forwarded-For) instead of replacing them. */
  trustForwarded: boolean;
  /** The proxy's `traceparent`, sent instead of the client's (undefined: the client's passes as sent). */
  traceparent?: string | undefined;
}

/**
 * Request headers for the backend from the client's raw headers, in order and case as sent:
 * hop-by-hop removed, `Expect` removed (Node already answered 100-continue), `Host` kept,
 * `X-Forwarded-For/Proto/Host` and `x-request-id` set (and `traceparent` when the proxy decided one). Returns undici's flat `[name, value, …]` form.
 */
export const upstreamHeaders = (raw: readonly string[], o: UpstreamHeaderOptions): string[] => {
  let extra: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 10 && raw[i]!.toLowerCase() === 'connection') {
      const t = connectionTokens(raw[i + 1]);
      if (t) extra = extra ? new Set([...extra, ...t]) : t;
    }
  }
  const out: string[] = [];
  let host = '';
  let xff: string | undefined;
  let xfProto: string | undefined;
  let xfHost: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    // SECURITY: x-ficus-user is the proxy's own signed identity for services; never a client's
    if (hopByHop.has(lower) || lower === 'expect' || lower === 'x-request-id' || lower === 'x-ficus-user' || extra?.has(lower)) continue;
    if (lower.startsWith('x-forwarded-')) {
      if (o.trustForwarded) {
        if (lower === 'x-forwarded-for') { xff = xff ? `${xff}, ${value}` : value; continue; }
        if (lower === 'x-forwarded-proto') { xfProto ??= value; continue; }
        if (lower === 'x-forwarded-host') { xfHost ??= value; continue; }
        out.push(name, value);
      }
      continue;
    }
    if (lower === 'host') host = value;
    if (o.traceparent !== undefined && lower === 'traceparent') continue;
    out.push(name, value);
  }
  out.push(
    'x-forwarded-for', xff ? `${xff}, ${o.clientAddress}` : o.clientAddress,
    'x-forwarded-proto', xfProto ?? 'http',
    'x-forwarded-host', xfHost ?? host,
    'x-request-id', o.requestId,
  );
  if (o.traceparent !== undefined) out.push('traceparent', o.traceparent);
  return out;
};

/**
 * Response headers for the client: the backend's minus hop-by-hop ones, as the flat
 * `[name, value, …]` list `writeHead` takes. Leaves `headers` untouched (the shadow tap reads it)
 * and never `delete`s: deleting keys drops V8 objects into slow dictionary mode on every request.
 */
export const clientResponseHeaders = (headers: Record<string, string | string[] | undefined>): Array<string | string[]> => {
  const extra = connectionTokens(headers.connection);
  const out: Array<string | string[]> = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || hopByHop.has(name) || extra?.has(name)) continue;
    out.push(name, value);
  }
  return out;
};
