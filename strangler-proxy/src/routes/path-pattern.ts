/**
 * Route path patterns: literal segments, `:name` for one segment, and a final `*` for any rest.
 * `/api/products/:id` matches `/api/products/7` (and `/api/products/7/`), not `/api/products/7/x`.
 * `/api/orders/*` matches `/api/orders` and everything under it.
 */
export const pathPatternProblem = (pattern: string): string | undefined => {
  if (!pattern.startsWith('/')) return 'expected a path starting with "/"';
  if (/[?#\s]/.test(pattern)) return 'expected a path without query, fragment or spaces';
  const segments = pattern.slice(1).split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const last = i === segments.length - 1;
    if (s === '' && !last) return 'expected no empty segment ("//")';
    if (s === '*' && !last) return 'expected "*" only as the last segment';
    if (s === '.' || s === '..') return 'expected no "." or ".." segment';
    if (s.startsWith(':') && !/^:[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return `expected a parameter name after ":" in "${s}"`;
    if (s !== '*' && s.includes('*')) return `expected "*" as a whole segment, found "${s}"`;
  }
  return undefined;
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a valid pattern to an anchored RegExp over the request path (without the query). */
export const compilePathPattern = (pattern: string): RegExp => {
  const segments = pattern.slice(1).split('/');
  let source = '^';
  for (const s of segments) {
    if (s === '*') return new RegExp(`${source}(?:/.*)?$`);
    if (s === '') continue;
    source += '/' + (s.startsWith(':') ? '[^/]+' : escapeRegExp(s));
  }
  return new RegExp(`${source}/?$`);
};
