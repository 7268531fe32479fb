// Reading Prometheus text (the proxy's, the CDC's /metrics): the gates and the cockpit. Pure.
/** One sample line of the Prometheus text format: name, labels, value. */
export interface PromSample { name: string; labels: Record<string, string>; value: number }

const labelRe = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text exposition format (comments and blank lines skipped). Pure. */
export const parsePrometheusText = (text: string): PromSample[] => {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    if (space < 0) continue;
    const name = brace >= 0 && brace < space ? line.slice(0, brace) : line.slice(0, line.indexOf(' '));
    const labels: Record<string, string> = {};
    if (brace >= 0 && brace < space) {
      const body = line.slice(brace + 1, line.lastIndexOf('}'));
      for (const m of body.matchAll(labelRe)) labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = line.slice(line.lastIndexOf('}') > 0 ? line.lastIndexOf('}') + 1 : name.length).trim().split(' ')[0]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (!Number.isNaN(value)) out.push({ name, labels, value });
  }
  return out;
};

/** p-quantile (seconds) of a histogram's bucket differences, at the bucket's upper bound (Prometheus-style, no interpolation). */
export const quantileOf = (before: Array<[number, number]>, after: Array<[number, number]>, q: number): { value: number | null; count: number } => {
  const prev = new Map(before);
  const diffs = after.map(([le, c]) => [le, c - (prev.get(le) ?? 0)] as [number, number]);
  const count = diffs.at(-1)?.[1] ?? 0;
  if (count <= 0) return { value: null, count: 0 };
  const rank = q * count;
  const hit = diffs.find(([, c]) => c >= rank);
  const bounds = diffs.filter(([le]) => Number.isFinite(le));
  return { value: hit && Number.isFinite(hit[0]) ? hit[0] : (bounds.at(-1)?.[0] ?? null), count };
};
