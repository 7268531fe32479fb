/**
 * Reads one cookie's value from a `Cookie` header without parsing the rest (hot path).
 * Returns undefined when absent or empty.
 */
export const cookieValue = (header: string | undefined, name: string): string | undefined => {
  if (!header) return undefined;
  let from = 0;
  for (;;) {
    const at: number = header.indexOf(name, from);
    if (at < 0) return undefined;
    const before = at === 0 ? ' ' : header[at - 1];
    const eq = at + name.length;
    if ((before === ' ' || before === ';') && header[eq] === '=') {
      let end = header.indexOf(';', eq + 1);
      if (end < 0) end = header.length;
      let v = header.slice(eq + 1, end).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      if (!v) return undefined;
      try {
        return v.includes('%') ? decodeURIComponent(v) : v;
      } catch {
        return v;
      }
    }
    from = at + 1;
  }
};

const requestIdPattern = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The client's `x-request-id` when it is a sane token, else a new one. */
export const requestIdOf = (given: string | string[] | undefined, generate: () => string): string =>
  typeof given === 'string' && requestIdPattern.test(given) ? given : generate();

/**
 * SECURITY: the route decision must see the same path the backend will act on, so dot segments
 * (raw or percent-encoded) are refused instead of being resolved differently on each side.
 */
const dotSegment = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/** Splits an origin-form request target; returns undefined when it is not one the proxy accepts. */
export const splitTarget = (url: string | undefined): { path: string } | undefined => {
  if (!url || url.charCodeAt(0) !== 47 /* / */) return undefined;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.length > 1 && path.charCodeAt(1) === 47) return undefined; // "//host/…" reads as a network path
  if (path.includes('.') || path.includes('%')) {
    if (dotSegment.test(path)) return undefined;
  }
  return { path };
};
