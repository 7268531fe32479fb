import { create, type Delta } from 'jsondiffpatch';
import type { Segment } from './field-path.ts';

export type ChangeKind = 'changed' | 'added' | 'removed';

/** One difference between two JSON values: `primary` is legacy's value, `candidate` the service's. */
export interface JsonChange {
  path: Segment[];
  kind: ChangeKind;
  primary?: unknown;
  candidate?: unknown;
}

// Positional array matching (objects at one index are diffed field by field); no move detection:
// a "move" is reported as what the user would see, a different element at that index.
const differ = create({ arrays: { detectMove: false, includeValueOnMove: false } });

const fromArrayDelta = (d: unknown[], path: Segment[], out: JsonChange[]) => {
  if (d.length === 1) out.push({ path, kind: 'added', candidate: d[0] });
  else if (d.length === 2) out.push({ path, kind: 'changed', primary: d[0], candidate: d[1] });
  else if (d[2] === 0) out.push({ path, kind: 'removed', primary: d[0] });
  // [_, _, 2] text diffs and [_, _, 3] moves are not produced with these options
};

const walk = (delta: Delta, path: Segment[], out: JsonChange[]): void => {
  if (delta === undefined) return;
  if (Array.isArray(delta)) return fromArrayDelta(delta, path, out);
  const d = delta as Record<string, unknown>;
  if (d._t === 'a') {
    for (const key of Object.keys(d)) {
      if (key === '_t') continue;
      const v = d[key];
      if (key.startsWith('_')) {
        const arr = v as unknown[];
        if (arr[2] === 0) out.push({ path: [...path, Number(key.slice(1))], kind: 'removed', primary: arr[0] });
        continue;
      }
      walk(v as Delta, [...path, Number(key)], out);
    }
    return;
  }
  for (const key of Object.keys(d)) walk(d[key] as Delta, [...path, key], out);
};

/**
 * Structural difference of two JSON values as a flat list by path, computed with jsondiffpatch
 * (see docs/decisions for why a library and why this one). Removed array elements carry the
 * primary's index, added ones the candidate's.
 */
export const diffJson = (primary: unknown, candidate: unknown): JsonChange[] => {
  const out: JsonChange[] = [];
  walk(differ.diff(primary, candidate), [], out);
  return out;
};
