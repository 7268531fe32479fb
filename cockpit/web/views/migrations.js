import { html, useState } from '/vendor/htm-preact.mjs';
import { api, time } from './api.js';

const finished = ['completed', 'rolled-back', 'aborted'];
const gateValue = (g, v) => (v === null ? 'n/a' : g === 'p99VsLegacy' ? `${(v * 1000).toFixed(1)} ms` : g === 'parity' || g === 'cdcLag' ? String(v) : `${(v * 100).toFixed(2)}%`);

/** Pause, resume, approve, abort: the same signals as `ficus migrate …`, sent through the migration admin. */
const Controls = ({ m, onDone }) => {
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [said, setSaid] = useState(null);
  const s = m.state;
  if (!s || finished.includes(s.status)) return null;
  const act = async (action) => {
    setBusy(true); setSaid(null);
    try {
      await api(`/migrations/${encodeURIComponent(m.name)}/${action}`, { method: 'POST', body: action === 'abort' ? { reason } : {} });
      setSaid({ ok: true, text: `${action} sent` });
      if (action === 'abort') setReason('');
      onDone();
    } catch (e) { setSaid({ ok: false, text: `${e.code}: ${e.message}` }); } finally { setBusy(false); }
  };
  return html`<div class="controls" data-testid="controls">
    ${s.status === 'paused'
      ? html`<button onClick=${() => act('resume')} disabled=${busy}>Resume</button>`
      : html`<button onClick=${() => act('pause')} disabled=${busy}>Pause</button>`}
    <button onClick=${() => act('approve')} disabled=${busy || s.status !== 'awaiting-approval'} title="approve the step that waits for it">Approve</button>
    <input aria-label="abort reason" placeholder="reason to abort" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} maxlength="500" />
    <button class="danger" onClick=${() => act('abort')} disabled=${busy || !reason.trim()}>Abort</button>
    ${said ? html`<span class=${said.ok ? 'ok-text' : 'error'} role="status">${said.text}</span>` : null}
  </div>`;
};

const Migration = ({ m, onDone }) => {
  const s = m.state;
  const parity = s ? [...s.gates.filter((g) => g.gate === 'parity').map((g) => ({ at: s.lastCheckAt, text: g.detail, ok: g.ok })),
    ...s.audit.filter((a) => a.data?.gate === 'parity').map((a) => ({ at: a.at, text: a.message, ok: a.data.ok }))] : [];
  return html`<section class="migration" data-migration=${m.name}>
    <h3>${m.name} <span class=${`badge status-${s?.status ?? 'none'}`} data-testid="migration-status">${s?.status ?? m.temporal ?? 'not started'}</span></h3>
    <p class="muted">${m.description ?? ''} flag <code>${m.flag}</code>, routes ${m.routes.join(', ')}${s ? `, ${s.runs} Temporal run(s)` : ''}</p>
    ${m.error ? html`<p class="error">${m.error}</p>` : null}
    ${s ? html`
      <p data-testid="migration-step">step <b>${s.step}</b> (${s.stepIndex + 1}/${s.steps.length}), held ${Math.round(s.heldMs / 1000)} / ${Math.round(s.holdMs / 1000)} s${s.waitingFor ? html`, waiting for: <i>${s.waitingFor}</i>` : ''}; write switch ${s.writeCutover}</p>
      ${s.reason ? html`<p class="error">reason: ${s.reason}</p>` : null}
      <${Controls} m=${m} onDone=${onDone} />
      <ol class="steps">${s.steps.map((st, i) => html`<li key=${st.name} class=${i < s.stepIndex ? 'done' : i === s.stepIndex ? 'current' : ''}>
        ${st.name} <span class="muted">${st.mode}${st.mode === 'canary' || st.mode === 'shadow' ? ` ${st.percent}%` : ''}, hold ${st.holdMs / 1000} s${st.requiresApproval ? ', needs approval' : ''}</span></li>`)}</ol>
      <table data-testid="gates"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>verdict</th><th>detail</th></tr></thead>
        <tbody>${s.gates.map((g) => html`<tr key=${g.gate} class=${g.ok === true ? 'ok' : g.ok === false ? 'fail' : 'unknown'}>
          <td>${g.gate}</td><td>${gateValue(g.gate, g.value)}</td><td>${gateValue(g.gate, g.threshold)}</td><td>${g.ok === null ? 'no data' : g.ok ? 'pass' : 'FAIL'}</td><td>${g.detail}</td></tr>`)}</tbody></table>
      <h4>Data parity</h4>
      ${parity.length ? html`<ul data-testid="parity">${parity.map((p, i) => html`<li key=${i} class=${p.ok === false ? 'error' : ''}>${time(p.at)} ${p.text}</li>`)}</ul>` : html`<p class="muted">No parity check yet (it runs before the write switch and at the end).</p>`}
      <details open><summary>Audit log (newest first)</summary>
        <table data-testid="audit"><tbody>${s.audit.slice(-40).reverse().map((a) => html`<tr key=${`${a.runId}-${a.seq}`}><td>${time(a.at)}</td><td>${a.step}</td><td>${a.kind}</td><td>${a.message}${a.data?.by ? ` (by ${a.data.by})` : ''}</td></tr>`)}</tbody></table>
      </details>` : html`<p class="muted">Not started: <code>./ficus migrate start ${m.name}</code></p>`}
  </section>`;
};

export const MigrationsView = ({ migrations, onDone }) => {
  if (!migrations.ok) return html`<p class="error" role="alert">Migrations unavailable: ${migrations.error.code}: ${migrations.error.message}</p>`;
  if (!migrations.value.migrations.length) return html`<p class="muted">No migration declared.</p>`;
  return html`<div data-testid="migrations">${migrations.value.migrations.map((m) => html`<${Migration} key=${m.name} m=${m} onDone=${onDone} />`)}</div>`;
};
