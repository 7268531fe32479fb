// The cockpit page: one view of routes, shadow differences, charts, parity and migrations, polled
// from the cockpit's API. Preact renders it (text is escaped); no inline script or style (CSP).
import { html, render, useCallback, useEffect, useState } from '/vendor/htm-preact.mjs';
import { api, time } from './views/api.js';
import { RoutesView } from './views/routes.js';
import { ChartsView } from './views/charts.js';
import { MismatchList, MismatchView } from './views/mismatch.js';
import { MigrationsView } from './views/migrations.js';
import { TraceView } from './views/trace.js';

const pollMs = 2000;

/** Calls `load` now and `ms` after each answer (`retryMs` after a failure); returns [value, error, reload]. */
const usePoll = (load, ms, deps, retryMs = ms) => {
  const [value, setValue] = useState(null);
  const [error, setError] = useState(null);
  const reload = useCallback(() => load().then(
    (v) => { setValue(v); setError(null); return true; },
    (e) => { setError({ code: e.code ?? 'NETWORK', message: e.message, status: e.status }); return false; },
  ), deps);
  useEffect(() => {
    let live = true;
    let timer;
    const tick = () => reload().then((ok) => { if (live) timer = setTimeout(tick, ok ? ms : retryMs); });
    tick();
    return () => { live = false; clearTimeout(timer); };
  }, [reload, ms, retryMs]);
  return [value, error, reload];
};

/** The address's fragment, followed. Effects run after the first paint: the fragment read again once
 * subscribed, so a change in between (a link followed while the page starts) is not missed. */
const useHash = () => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => { const on = () => setHash(location.hash); addEventListener('hashchange', on); on(); return () => removeEventListener('hashchange', on); }, []);
  return hash;
};

// a mismatch or a trace asked for by id: again every poll until it answers (spans reach the trace
// backend in batches, seconds after the request), then now and then
const Mismatch = ({ id }) => {
  const [value, error] = usePoll(() => api(`/mismatches/${id}`), 60_000, [id], pollMs);
  return html`<${MismatchView} mismatch=${value} error=${error} />`;
};

const Trace = ({ path, what }) => {
  const [value, error] = usePoll(() => api(path), 60_000, [path], pollMs);
  return html`<${TraceView} trace=${value} error=${error} what=${what} />`;
};

const Cockpit = () => {
  const [overview, error, reload] = usePoll(() => api('/overview'), pollMs, []);
  const [history] = usePoll(() => api('/history'), pollMs, []);
  const [picked, setPicked] = useState(null);
  const routes = overview?.routes.ok ? overview.routes.value.routes : [];
  const route = picked ?? routes.find((r) => r.mode !== 'legacy')?.id ?? routes[0]?.id ?? null;
  const [mismatches, mismatchError] = usePoll(() => api(`/mismatches${route ? `?route=${encodeURIComponent(route)}` : ''}`), pollMs, [route]);
  if (error?.status === 401) return html`<p class="error" role="alert">Signed out: get a new link with <code>./ficus cockpit link</code>.</p>`;
  if (!overview) return html`<p class="muted">${error ? `${error.code}: ${error.message}` : 'Loading…'}</p>`;
  return html`
    ${error ? html`<p class="error" role="alert">Last refresh failed: ${error.code}: ${error.message}</p>` : null}
    <section><h2>Routes</h2><${RoutesView} routes=${overview.routes} shadow=${overview.shadow} selected=${route} onRoute=${setPicked} /></section>
    <section><h2>Over time <span class="muted">${route ?? ''}</span></h2><${ChartsView} history=${history} route=${route} /></section>
    <section><h2>Shadow mismatches <span class="muted">${route ?? 'all routes'}</span></h2>
      <${MismatchList} list=${mismatchError ? { error: mismatchError } : mismatches} route=${route} /></section>
    <section><h2>Migrations</h2><${MigrationsView} migrations=${overview.migrations} onDone=${reload} /></section>
    <footer class="muted">updated ${time(overview.at)}</footer>`;
};

const App = () => {
  const hash = useHash();
  const m = /^#\/mismatches\/(\d+)$/.exec(hash);
  const t = /^#\/traces\/([0-9a-f]{16,32})$/.exec(hash);
  const r = /^#\/requests\/([\w.:-]{1,128})$/.exec(hash);
  const view = m ? html`<${Mismatch} id=${m[1]} />`
    : t ? html`<${Trace} path=${`/traces/${t[1]}`} what=${`trace ${t[1]}`} />`
    : r ? html`<${Trace} path=${`/traces?requestId=${encodeURIComponent(r[1])}`} what=${`the trace of request ${r[1]}`} />`
    : html`<${Cockpit} />`;
  return html`<header><h1><a href="#/">Ficus cockpit</a></h1></header>
    <main>${view}</main>`;
};

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
