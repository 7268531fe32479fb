import { canonicalJson } from '../compare/canonical-json.ts';
import type { RouteReport } from './shadow-report.ts';
import type { StoredDifference, StoredMismatch, StoredResponse } from './shadow-store-type.ts';

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type RawSegment = string | number;

/** Parses a reported path (`$.items[id=2].n`, `$.tags[=red]`, `$["a b"][3]`) into steps. */
const parseReportedPath = (path: string): Array<RawSegment | { key: string; value: string } | { member: string }> | undefined => {
  if (!path.startsWith('$')) return undefined;
  const out: Array<RawSegment | { key: string; value: string } | { member: string }> = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\[=(.*?)\](?=\.|\[|$)|\[([^=\]]+)=(.*?)\](?=\.|\[|$)/y;
  let i = 1;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
    else if (m[4] !== undefined) out.push({ member: m[4] });
    else out.push({ key: m[5]!, value: m[6]! });
    i += m[0].length;
  }
  return out;
};

/** Maps a reported path onto the stored JSON (keyed and set elements found by value); undefined when it cannot. */
export const resolvePath = (root: unknown, path: string): string | undefined => {
  const steps = parseReportedPath(path);
  if (!steps) return undefined;
  let node: unknown = root;
  const raw: RawSegment[] = [];
  for (const s of steps) {
    if (typeof s === 'object') {
      if (!Array.isArray(node)) return undefined;
      const idx = node.findIndex((item) => 'member' in s
        ? (typeof item === 'string' ? item : canonicalJson(item)) === s.member
        : item !== null && typeof item === 'object' && (() => { const v = (item as Record<string, unknown>)[s.key]; return (typeof v === 'string' ? v : canonicalJson(v)) === s.value; })());
      if (idx < 0) return rawKey(raw);
      raw.push(idx);
      node = node[idx];
    } else {
      raw.push(s);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[s as string] : undefined;
      if (node === undefined) return rawKey(raw);
    }
  }
  return rawKey(raw);
};
const rawKey = (p: RawSegment[]) => JSON.stringify(p);

/** Pretty-prints JSON as HTML, wrapping the values at `marks` (raw path keys) in <mark>. */
export const renderJson = (value: unknown, marks: ReadonlyMap<string, string>): string => {
  const walk = (v: unknown, path: RawSegment[], indent: string): string => {
    const mark = marks.get(rawKey(path));
    let inner: string;
    if (v === null || typeof v !== 'object') inner = escapeHtml(JSON.stringify(v) ?? 'null');
    else {
      const entries: Array<[RawSegment, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (!entries.length) inner = open + close;
      else {
        const next = `${indent}  `;
        inner = `${open}\n${entries.map(([k, x]) => `${next}${typeof k === 'string' ? `${escapeHtml(JSON.stringify(k))}: ` : ''}${walk(x, [...path, k], next)}`).join(',\n')}\n${indent}${close}`;
      }
    }
    return mark ? `<mark class="${mark}" data-path="${escapeHtml(rawKey(path))}">${inner}</mark>` : inner;
  };
  return walk(value, [], '');
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.side pre{background:#f7f7f7;padding:.75rem;overflow:auto;font-size:13px}
mark.changed{background:#ffe08a}mark.added{background:#b7f0b1}mark.removed{background:#f7b5b5}
.rate{font-weight:bold}.noise{color:#777}
</style></head><body>${body}</body></html>`;

const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);

/** Overview: per-route match rate, counters and top fields. */
export const renderOverview = (reports: RouteReport[], base: string): string => page('Ficus shadow traffic', `
<h1>Shadow traffic</h1>
<table id="routes"><thead><tr><th>route</th><th>match rate</th><th>compared</th><th>mismatched</th><th>noise</th><th>lag</th><th>errors</th><th>shed</th><th>top differing fields</th></tr></thead><tbody>
${reports.map((r) => `<tr data-route="${escapeHtml(r.route)}"><td><a href="${base}/page/routes/${encodeURIComponent(r.route)}">${escapeHtml(r.route)}</a></td><td class="rate">${pct(r.matchRate)}</td>
<td>${r.counts.compared ?? 0}</td><td>${r.counts.mismatched ?? 0}</td><td>${r.counts.noise ?? 0}</td><td>${r.counts.lag ?? 0}</td><td>${r.counts.errors ?? 0}</td><td>${r.counts.shed ?? 0}</td>
<td>${r.topFields.slice(0, 5).map((f) => `${escapeHtml(f.field)} (${f.count})`).join('<br>')}</td></tr>`).join('\n')}
</tbody></table>`);

/** One route: counters, fields (real, noise, lag) and the latest mismatches. */
export const renderRoute = (r: RouteReport, base: string): string => page(`Shadow: ${r.route}`, `
<p><a href="${base}/page">← all routes</a></p>
<h1>${escapeHtml(r.route)}</h1>
<p>match rate <span class="rate">${pct(r.matchRate)}</span> · ${Object.entries(r.counts).map(([k, v]) => `${escapeHtml(k)} ${v}`).join(' · ')}</p>
<h2>Differing fields</h2>
<table id="fields"><thead><tr><th>field</th><th>count</th><th>last request</th></tr></thead><tbody>
${r.topFields.map((f) => `<tr><td>${escapeHtml(f.field)}</td><td>${f.count}</td><td>${escapeHtml(f.lastRequestId)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Noise (nondeterministic on legacy)</h2>
<table id="noise" class="noise"><thead><tr><th>field</th><th>count</th><th>seen as</th></tr></thead><tbody>
${r.noiseFields.map((f) => `<tr><td>${escapeHtml(f.field)}</td><td>${f.count}</td><td>${f.cls === 'legacy' ? 'legacy vs legacy' : 'candidate difference'}</td></tr>`).join('\n')}
</tbody></table>
<h2>Latest mismatches</h2>
<table id="mismatches"><thead><tr><th>when</th><th>request</th><th>request id</th></tr></thead><tbody>
${r.examples.map((m) => `<tr><td>${escapeHtml(m.at)}</td><td><a href="${base}/page/mismatches/${m.id}">${escapeHtml(`${m.method} ${m.url}`)}</a></td><td>${escapeHtml(m.requestId)}</td></tr>`).join('\n')}
</tbody></table>`);

const sideHtml = (s: StoredResponse, diffs: readonly StoredDifference[], side: 'primary' | 'candidate'): string => {
  if (s.error) return `<p>error: ${escapeHtml(s.error)}</p>`;
  const marks = new Map<string, string>();
  if (s.json !== undefined) {
    for (const d of diffs) {
      if (d.where !== 'body') continue;
      if ((d.kind === 'added' && side === 'primary') || (d.kind === 'removed' && side === 'candidate')) continue;
      const k = resolvePath(s.json, d.path);
      if (k) marks.set(k, d.kind);
    }
  }
  const status = diffs.some((d) => d.where === 'status') ? `<mark class="changed">${s.status}</mark>` : String(s.status);
  const body = s.json !== undefined ? renderJson(s.json, marks) : s.text !== undefined ? escapeHtml(s.text) : `(${s.bodyBytes ?? 0} bytes, sha256 ${escapeHtml(s.bodyHash ?? '')})`;
  return `<p>status ${status}</p><pre class="body">${body}</pre>`;
};

/** One mismatch: the differences, and legacy's and the service's answers side by side with the differences highlighted. */
export const renderMismatch = (m: StoredMismatch, base: string): string => page(`Shadow mismatch ${m.id}`, `
<p><a href="${base}/page/routes/${encodeURIComponent(m.route)}">← ${escapeHtml(m.route)}</a></p>
<h1>${escapeHtml(`${m.method} ${m.url}`)}</h1>
<p>${escapeHtml(m.outcome)}${m.reason ? ` (${escapeHtml(m.reason)})` : ''} · request id ${escapeHtml(m.requestId)} · ${escapeHtml(m.at)} · ${m.differences.length} difference(s)${m.total > m.differences.length + m.noise.length ? ` (of ${m.total}, list capped)` : ''}, ${m.noise.length} set apart as noise</p>
<table id="differences"><thead><tr><th>path</th><th>kind</th><th>legacy</th><th>service</th></tr></thead><tbody>
${m.differences.map((d) => `<tr><td>${escapeHtml(d.path)}</td><td>${d.kind}</td><td>${escapeHtml(JSON.stringify(d.primary) ?? '')}</td><td>${escapeHtml(JSON.stringify(d.candidate) ?? '')}</td></tr>`).join('\n')}
${m.noise.map((d) => `<tr class="noise"><td>${escapeHtml(d.path)}</td><td>noise</td><td>${escapeHtml(JSON.stringify(d.primary) ?? '')}</td><td>${escapeHtml(JSON.stringify(d.candidate) ?? '')}</td></tr>`).join('\n')}
</tbody></table>
<div class="side"><section id="legacy"><h2>legacy</h2>${sideHtml(m.primary, m.differences, 'primary')}</section>
<section id="service"><h2>service</h2>${sideHtml(m.candidate, m.differences, 'candidate')}</section></div>`);
