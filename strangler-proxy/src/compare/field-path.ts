/**
 * Paths into a JSON body, written JSONPath-style: `$.items[3].price`, `$.items[id=7].price`.
 * A concrete path is a list of segments: property names, array indices, or keyed segments (an
 * element of an array compared by key or as a set, see normalise.ts).
 */
export type Segment = string | number;

/** Marks a property name that stands for an array element matched by key (`[id=7]`) or as a set member (`[=red]`). */
const keyedMark = '\u0001';
export const keyedSegment = (label: string): string => `${keyedMark}${label}`;
const isKeyed = (s: Segment): s is string => typeof s === 'string' && s.startsWith(keyedMark);

const identifier = /^[A-Za-z_$][\w$-]*$/;
const propertyPart = (s: string) => (identifier.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`);

/** `$.items[3].price`, `$.items[id=7].price`, `$["odd key"]`. */
export const formatPath = (path: readonly Segment[]): string =>
  `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : isKeyed(s) ? `[${s.slice(1)}]` : propertyPart(s))).join('')}`;

/** The field a difference is counted under: indices and keys become `[*]` (`$.items[*].price`). */
export const fieldOf = (path: readonly Segment[]): string =>
  `$${path.map((s) => (typeof s === 'number' || isKeyed(s) ? '[*]' : propertyPart(s))).join('')}`;

/** One step of a rule's path: a name, an index, any one segment (`*`) or any run of segments (`**`). */
type PatternPart = { name: string } | { index: number } | '*' | '**';
export type PathMatcher = (path: readonly Segment[]) => boolean;

const tokenRe = /\.\.|\.\*|\.([A-Za-z_$][\w$-]*)|\[\*\]|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** Parses a rule path (`$.a[*].b`, `$..updatedAt`, `$.meta.*`, `$["x y"]`); returns the parts or a problem. */
export const parsePathPattern = (text: string): PatternPart[] | string => {
  if (!text.startsWith('$')) return 'expected a path starting with "$" (e.g. "$.items[*].price" or "$..updatedAt")';
  const parts: PatternPart[] = [];
  let i = 1;
  while (i < text.length) {
    tokenRe.lastIndex = i;
    const m = tokenRe.exec(text);
    if (!m) return `unexpected "${text.slice(i)}" at character ${i + 1} (expected .name, .*, [*], [n], ["name"] or ..name)`;
    const tok = m[0];
    if (tok === '..') {
      parts.push('**');
      // `$..name` and `$..*`: the next name follows without its own dot
      const rest = /^(\*|[A-Za-z_$][\w$-]*)/.exec(text.slice(i + 2));
      if (!rest) return `expected a name or * after ".." at character ${i + 3}`;
      parts.push(rest[1] === '*' ? '*' : { name: rest[1]! });
      i += 2 + rest[1]!.length;
      continue;
    }
    if (tok === '.*' || tok === '[*]') parts.push('*');
    else if (m[1] !== undefined) parts.push({ name: m[1] });
    else if (m[2] !== undefined) parts.push({ index: Number(m[2]) });
    else parts.push({ name: JSON.parse(m[3]!) as string });
    i += tok.length;
  }
  return parts;
};

const matchFrom = (parts: readonly PatternPart[], pi: number, path: readonly Segment[], si: number): boolean => {
  if (pi === parts.length) return si === path.length;
  const p = parts[pi]!;
  if (p === '**') {
    for (let k = si; k <= path.length; k++) if (matchFrom(parts, pi + 1, path, k)) return true;
    return false;
  }
  if (si === path.length) return false;
  const s = path[si]!;
  const ok = p === '*' ? true
    : 'index' in p ? s === p.index
    : s === p.name;
  return ok && matchFrom(parts, pi + 1, path, si + 1);
};

/** Compiles a rule path to a matcher; throws on a malformed path (rules are validated before this). */
export const compilePathPattern = (text: string): PathMatcher => {
  const parts = parsePathPattern(text);
  if (typeof parts === 'string') throw new Error(`${text}: ${parts}`);
  return (path) => matchFrom(parts, 0, path, 0);
};

/** True when any matcher matches. */
export const anyMatch = (matchers: readonly PathMatcher[], path: readonly Segment[]): boolean => {
  for (const m of matchers) if (m(path)) return true;
  return false;
};
