import { html } from '/vendor/htm-preact.mjs';
import { time } from './api.js';

/** Recent mismatches of a route (newest first), each opening its side-by-side view. */
export const MismatchList = ({ list, route }) => {
  if (!list) return html`<p class="muted">Loading mismatches…</p>`;
  if (list.error) return html`<p class="error" role="alert">Mismatches unavailable: ${list.error.code}: ${list.error.message}</p>`;
  if (!list.mismatches.length) return html`<p class="muted" data-testid="no-mismatches">No mismatch stored${route ? ` for ${route}` : ''}.</p>`;
  return html`<table data-testid="mismatches">
    <thead><tr><th>#</th><th>at</th><th>route</th><th>request</th><th>outcome</th><th>differing fields</th></tr></thead>
    <tbody>${list.mismatches.map((m) => html`<tr key=${m.id}>
      <td><a href=${`#/mismatches/${m.id}`} data-testid="mismatch-link">${m.id}</a></td>
      <td>${time(m.at)}</td><td>${m.route}</td><td><code>${m.method} ${m.url}</code></td><td>${m.outcome}${m.reason ? `: ${m.reason}` : ''}</td>
      <td>${m.fields.slice(0, 4).map((f) => html`<code key=${f}>${f}</code> `)}${m.total > 4 ? `+${m.total - 4}` : ''}</td>
    </tr>`)}</tbody>
  </table>`;
};

const identifier = /^[A-Za-z_$][\w$-]*$/;
const prop = (k) => (identifier.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/**
 * A JSON value as pretty-printed lines, each with the paths it stands for, written as the proxy
 * writes differences (`$.items[3].price`; an element with an id also as `$.items[id=7].price`).
 */
export const jsonLines = (value) => {
  const lines = [];
  const walk = (v, paths, indent, key, last) => {
    const pad = '  '.repeat(indent);
    const label = key === undefined ? '' : `${JSON.stringify(key)}: `;
    const comma = last ? '' : ',';
    if (v && typeof v === 'object') {
      const isArray = Array.isArray(v);
      const entries = isArray ? v.map((x, i) => [i, x]) : Object.entries(v);
      if (!entries.length) { lines.push({ text: `${pad}${label}${isArray ? '[]' : '{}'}${comma}`, paths }); return; }
      lines.push({ text: `${pad}${label}${isArray ? '[' : '{'}`, paths });
      entries.forEach(([k, x], i) => {
        const child = isArray
          ? paths.flatMap((p) => [`${p}[${k}]`, ...(x && typeof x === 'object' && !Array.isArray(x) && (typeof x.id === 'number' || typeof x.id === 'string') ? [`${p}[id=${x.id}]`] : [])])
          : paths.map((p) => `${p}${prop(k)}`);
        walk(x, child, indent + 1, isArray ? undefined : k, i === entries.length - 1);
      });
      lines.push({ text: `${pad}${isArray ? ']' : '}'}${comma}`, paths });
      return;
    }
    lines.push({ text: `${pad}${label}${JSON.stringify(v)}${comma}`, paths });
  };
  walk(value, ['$'], 0, undefined, true);
  return lines;
};

/** Whether a line stands for a differing path or lies inside one (an added or removed subtree). */
const marked = (linePaths, diffPaths) => linePaths.some((p) => diffPaths.some((d) => d !== '$' && (p === d || p.startsWith(`${d}.`) || p.startsWith(`${d}[`))));

const Side = ({ title, response, diffPaths, testid }) => {
  const body = response.json !== undefined
    ? html`<pre class="json">${jsonLines(response.json).map((l, i) => html`<span key=${i} class=${marked(l.paths, diffPaths) ? 'line diff' : 'line'}>${l.text}</span>`)}</pre>`
    : html`<pre class="json">${response.text ?? response.error ?? (response.bodyBytes ? `(${response.bodyBytes} bytes, not shown)` : '(no body)')}</pre>`;
  return html`<section class="side" data-testid=${testid}>
    <h3>${title} <span class="muted">status ${response.status ?? '–'}${response.truncated ? ', truncated' : ''}</span></h3>
    ${body}
  </section>`;
};

const show = (v) => (v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));

/** One mismatch: the differences, then both responses side by side with the differing fields marked. */
export const MismatchView = ({ mismatch, error }) => {
  if (error) return html`<p class="error" role="alert">${error.code}: ${error.message}</p>`;
  if (!mismatch) return html`<p class="muted">Loading…</p>`;
  const m = mismatch;
  const diffPaths = m.differences.filter((d) => d.where === 'body').map((d) => d.path);
  return html`<article class="mismatch" data-testid="mismatch">
    <h2>Mismatch #${m.id} <span class="muted">${m.route}</span></h2>
    <p><code>${m.method} ${m.url}</code> · request <code>${m.requestId}</code> (<a href=${`#/requests/${encodeURIComponent(m.requestId)}`} data-testid="trace-link">its trace</a>) · ${new Date(m.at).toLocaleString()} · ${m.outcome}${m.reason ? `: ${m.reason}` : ''}</p>
    <table data-testid="differences">
      <thead><tr><th>where</th><th>path</th><th>kind</th><th>legacy</th><th>service</th></tr></thead>
      <tbody>${m.differences.map((d, i) => html`<tr key=${i}><td>${d.where}</td><td><code>${d.path}</code></td><td>${d.kind}</td><td><code>${show(d.primary)}</code></td><td><code>${show(d.candidate)}</code></td></tr>`)}</tbody>
    </table>
    ${m.total > m.differences.length ? html`<p class="muted">${m.total - m.differences.length} more differences not stored.</p>` : null}
    <div class="sides">
      <${Side} testid="legacy-side" title="legacy (served)" response=${m.primary} diffPaths=${diffPaths} />
      <${Side} testid="service-side" title="service (shadow)" response=${m.candidate} diffPaths=${diffPaths} />
    </div>
    <p><a href="#/">← back to the cockpit</a></p>
  </article>`;
};
