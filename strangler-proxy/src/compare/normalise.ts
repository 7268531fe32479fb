import { canonicalJson } from './canonical-json.ts';
import type { CompareRules, NormaliserKind } from './compare-rules.ts';
import { anyMatch, keyedSegment, type Segment } from './field-path.ts';

const isoTimestamp = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const httpDate = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The placeholder a normaliser puts in place of a value, or undefined when the value is not of its kind. */
export const normaliseValue = (kind: NormaliserKind, value: unknown): unknown => {
  switch (kind) {
    case 'timestamp':
      if (typeof value === 'string' && (isoTimestamp.test(value) || httpDate.test(value))) return '<timestamp>';
      // epoch seconds or milliseconds (2001–2286)
      if (typeof value === 'number' && Number.isInteger(value) && (value > 978_307_200 && value < 10_000_000_000 || value > 978_307_200_000 && value < 10_000_000_000_000)) return '<timestamp>';
      return undefined;
    case 'uuid':
      return typeof value === 'string' && uuid.test(value) ? '<uuid>' : undefined;
    case 'generated-id':
      return value === null || typeof value === 'object' ? undefined : '<id>';
  }
};

const keyLabel = (v: unknown) => (typeof v === 'string' ? v : canonicalJson(v));

/**
 * Applies one route's rules to a parsed JSON body, returning a new value: ignored paths removed,
 * timestamps/UUIDs/generated ids replaced by placeholders, arrays declared as sets or keyed turned
 * into objects whose property names are keyed segments (so the diff reports `$.items[id=7].price`
 * and set members `$.tags[=red]`, whatever their order). Pure.
 */
export const normaliseJson = (value: unknown, rules: CompareRules): unknown => {
  const walk = (v: unknown, path: Segment[]): unknown => {
    for (const n of rules.normalisers) {
      if (n.match(path)) {
        const replaced = normaliseValue(n.kind, v);
        if (replaced !== undefined) return replaced;
      }
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const arrayRule = rules.arrays.find((a) => a.match(path));
      if (!arrayRule) {
        const out: unknown[] = [];
        v.forEach((item, i) => {
          const p = [...path, i];
          if (!anyMatch(rules.ignore, p)) out.push(walk(item, p));
        });
        return out;
      }
      const out: Record<string, unknown> = {};
      v.forEach((item, i) => {
        let label: string;
        if (arrayRule.by !== undefined) {
          const k = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)[arrayRule.by] : undefined;
          label = k === undefined ? `#${i}` : `${arrayRule.by}=${keyLabel(k)}`;
        } else {
          label = '';
        }
        const seg = keyedSegment(label);
        const normalised = walk(item, [...path, arrayRule.by !== undefined ? seg : keyedSegment('=')]);
        if (arrayRule.by === undefined) label = `=${keyLabel(normalised)}`;
        // duplicates (a multiset, or two elements with one key) stay distinct
        let key = keyedSegment(label);
        for (let n = 2; key in out; n++) key = keyedSegment(`${label}#${n}`);
        out[key] = normalised;
      });
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, k];
      if (!anyMatch(rules.ignore, p)) out[k] = walk(child, p);
    }
    return out;
  };
  return walk(value, []);
};
