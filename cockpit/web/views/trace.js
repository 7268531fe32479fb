import { html } from '/vendor/htm-preact.mjs';

const ms = (us) => (us >= 1000 ? `${(us / 1000).toFixed(us >= 100_000 ? 0 : 1)} ms` : `${us} µs`);

/**
 * One trace as a waterfall (from the cockpit's /api/traces): a row per span, indented under its
 * parent, a bar at its offset and length (set through the DOM, so the CSP needs no inline style).
 */
export const TraceView = ({ trace, error, what }) => {
  if (error) return html`<p class="error" role="alert">${error.code}: ${error.message}</p>`;
  if (!trace) return html`<p class="muted">Loading ${what}…</p>`;
  const total = Math.max(1, trace.durationUs);
  return html`<h2>Trace <code data-testid="trace-id">${trace.traceId}</code> <span class="muted">${ms(trace.durationUs)} · ${trace.spans.length} spans · ${trace.services.join(', ')}</span>
    ${trace.zipkinUrl ? html` <a class="zipkin-link" href=${trace.zipkinUrl} target="_blank" rel="noopener noreferrer" data-testid="zipkin-link">open in Zipkin</a>` : null}</h2>
    <table class="waterfall" data-testid="waterfall">
      <thead><tr><th>service</th><th>operation</th><th>duration</th><th class="timeline">timeline</th></tr></thead>
      <tbody>${trace.spans.map((s) => html`<tr key=${s.spanId} class=${s.error ? 'span-error' : ''} data-testid="span" title=${Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join('\n')}>
        <td>${s.service}</td>
        <td><span class="indent" style=${{ paddingLeft: `${s.depth * 1.2}em` }}>${s.operation}</span></td>
        <td>${ms(s.durationUs)}</td>
        <td class="timeline"><div class="bar" style=${{ marginLeft: `${(100 * s.offsetUs) / total}%`, width: `${Math.max(0.5, (100 * s.durationUs) / total)}%` }}></div></td>
      </tr>`)}</tbody>
    </table>`;
};
