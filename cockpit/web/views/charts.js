import { html, useEffect, useRef } from '/vendor/htm-preact.mjs';
import uPlot from '/vendor/uplot.mjs';

/** One uPlot chart: created once, fed new data on every poll. */
const Chart = ({ title, series, data, testid }) => {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const width = Math.max(280, box.current.clientWidth || 420);
    plot.current = new uPlot({
      title, width, height: 180, scales: { x: { time: true } },
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, spanGaps: false, value: (_u, v) => (v === null || v === undefined ? '–' : `${v}${s.unit ?? ''}`) }))],
      axes: [{}, { size: 56 }],
    }, data, box.current);
    return () => { plot.current?.destroy(); plot.current = null; };
  }, [title, series.length]);
  useEffect(() => { plot.current?.setData(data); }, [data]);
  return html`<figure class="chart" data-testid=${testid}><div ref=${box}></div></figure>`;
};

const round = (v, f = 1) => (v === null || v === undefined ? null : Math.round(v * f) / f);

/** Match rate, error rate, p99 legacy vs service for one route, and CDC lag, over the sampled window. */
export const ChartsView = ({ history, route }) => {
  const points = history?.points ?? [];
  const xs = points.map((p) => p.at / 1000);
  const of = (f) => points.map((p) => { const r = p.routes[route]; return r ? f(r) : null; });
  const percent = (v) => (v === null ? null : round(v * 100, 100));
  if (!points.length) return html`<p class="muted" data-testid="charts-empty">Charts start after two samples (every ${Math.round((history?.intervalMs ?? 5000) / 1000)} s).</p>`;
  return html`<div class="charts">
    <${Chart} testid="chart-match" title=${`shadow match rate, ${route ?? 'no route'}`} series=${[{ label: 'match %', colour: '#2a7', unit: '%' }]}
      data=${[xs, of((r) => percent(r.matchRate))]} />
    <${Chart} testid="chart-errors" title="error rate (5xx)" series=${[{ label: 'legacy %', colour: '#57a', unit: '%' }, { label: 'service %', colour: '#d62', unit: '%' }]}
      data=${[xs, of((r) => percent(r.errorRate.legacy)), of((r) => percent(r.errorRate.service))]} />
    <${Chart} testid="chart-p99" title="p99 latency" series=${[{ label: 'legacy ms', colour: '#57a', unit: ' ms' }, { label: 'service ms', colour: '#d62', unit: ' ms' }]}
      data=${[xs, of((r) => r.p99Ms.legacy), of((r) => r.p99Ms.service)]} />
    <${Chart} testid="chart-cdc" title="CDC lag" series=${[{ label: 'events behind', colour: '#a5c' }, { label: 'p99 ms', colour: '#c90', unit: ' ms' }]}
      data=${[xs, points.map((p) => p.cdc.lagEvents), points.map((p) => p.cdc.lagP99Ms)]} />
  </div>`;
};
