import type { MigrationOverview } from './migration-admin.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number | null, gate: string) => (v === null ? 'n/a' : gate === 'p99VsLegacy' ? `${(v * 1000).toFixed(1)} ms` : gate === 'parity' || gate === 'cdcLag' ? String(v) : `${(v * 100).toFixed(2)}%`);

/** The migrations page: current step, gate values against thresholds, history (audit tail). */
export const renderMigrationsPage = (migrations: MigrationOverview[]): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>Ficus migrations</title><meta http-equiv="refresh" content="5">
<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
.ok{background:#e6f6e6}.fail{background:#fbe3e3}.unknown{background:#fff6d5}</style></head><body>
<h1>Migrations</h1>
${migrations.map((m) => {
  const s = m.state;
  return `<section><h2>${esc(m.name)} <small>${esc(s?.status ?? m.temporal ?? 'not started')}</small></h2>
<p>${esc(m.description)}<br>flag <code>${esc(m.flag)}</code>, routes ${m.routes.map((r) => `<code>${esc(r)}</code>`).join(', ')}</p>
${s ? `<p>step <b>${esc(s.step)}</b> (${s.stepIndex + 1}/${s.steps.length}), held ${Math.round(s.heldMs / 1000)} / ${Math.round(s.holdMs / 1000)} s${s.waitingFor ? `, waiting for: ${esc(s.waitingFor)}` : ''}${s.reason ? `<br>reason: <b>${esc(s.reason)}</b>` : ''}</p>
<table><tr><th>step</th><th>mode</th><th>%</th><th>hold</th><th>approval</th></tr>${s.steps.map((st, i) => `<tr${i === s.stepIndex ? ' style="font-weight:bold"' : ''}><td>${esc(st.name)}</td><td>${esc(st.mode)}</td><td>${st.percent}</td><td>${st.holdMs / 1000} s</td><td>${st.requiresApproval ? 'yes' : ''}</td></tr>`).join('')}</table>
<table><tr><th>gate</th><th>value</th><th>threshold</th><th>verdict</th><th>detail</th></tr>${s.gates.map((g) => `<tr class="${g.ok === true ? 'ok' : g.ok === false ? 'fail' : 'unknown'}"><td>${esc(g.gate)}</td><td>${esc(num(g.value, g.gate))}</td><td>${esc(num(g.threshold, g.gate))}</td><td>${g.ok === null ? 'no data' : g.ok ? 'pass' : 'FAIL'}</td><td>${esc(g.detail)}</td></tr>`).join('')}</table>
<table><tr><th>at</th><th>step</th><th>kind</th><th>message</th></tr>${s.audit.slice(-50).reverse().map((a) => `<tr><td>${esc(a.at)}</td><td>${esc(a.step)}</td><td>${esc(a.kind)}</td><td>${esc(a.message)}</td></tr>`).join('')}</table>` : ''}
${m.error ? `<p class="fail">${esc(m.error)}</p>` : ''}</section>`;
}).join('\n')}
</body></html>`;
