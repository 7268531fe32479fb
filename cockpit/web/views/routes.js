import { html } from '/vendor/htm-preact.mjs';
import { pct } from './api.js';

const ownership = (r) => (r.unit === null ? html`<span class="muted">reads only</span>` : html`
  <span>${r.unit}: <b>${r.owner}</b></span>
  ${r.ownerState !== 'steady' ? html` <span class="badge warn">${r.ownerState}</span>` : null}
  ${r.flagDisagrees ? html` <span class="badge warn" title="writes follow ownership, not the flag">flag disagrees</span>` : null}`);

/** Per route: what it does now, its flag, write ownership, and shadow agreement with its top differing fields. */
export const RoutesView = ({ routes, shadow, onRoute, selected }) => {
  if (!routes.ok) return html`<p class="error" role="alert">Routes unavailable: ${routes.error.code}: ${routes.error.message}</p>`;
  const reports = new Map((shadow.ok ? shadow.value.routes : []).map((s) => [s.route, s]));
  const flags = routes.value.flags;
  return html`
    ${flags.stale ? html`<p class="error" role="alert">Flag state is stale (${Math.round(flags.stalenessMs / 1000)} s): routes are on their safe targets.</p>` : null}
    <table class="routes" data-testid="routes">
      <thead><tr><th>route</th><th>matches</th><th>mode now</th><th>flag</th><th>write ownership</th><th>shadow match</th><th>top differing fields</th></tr></thead>
      <tbody>${routes.value.routes.map((r) => {
        const s = reports.get(r.id);
        return html`<tr key=${r.id} class=${selected === r.id ? 'selected' : ''} data-route=${r.id}>
          <td><button class="link" onClick=${() => onRoute(r.id)} title="show this route's charts and mismatches">${r.id}</button></td>
          <td><code>${r.methods.join(',')} ${r.path}</code></td>
          <td><span class=${`mode mode-${r.mode}`}>${r.effective}</span></td>
          <td><code>${r.flag}</code>${r.flagExists ? null : html` <span class="badge bad">missing</span>`}${r.problem ? html` <span class="badge bad">${r.problem}</span>` : null}</td>
          <td>${ownership(r)}</td>
          <td data-testid="match-rate">${s ? html`${pct(s.matchRate)} <span class="muted">of ${s.counts.compared ?? 0}</span>` : html`<span class="muted">n/a</span>`}</td>
          <td>${s?.topFields?.length ? html`<ul class="fields">${s.topFields.slice(0, 3).map((f) => html`<li key=${f.field}><code>${f.field}</code> × ${f.count}</li>`)}</ul>` : html`<span class="muted">none</span>`}</td>
        </tr>`;
      })}</tbody>
    </table>`;
};
