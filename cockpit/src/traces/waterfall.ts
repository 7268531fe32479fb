// One trace from the trace backend (Jaeger's query API JSON) as the rows of a waterfall: each span
// with its service, depth under its parent, offset from the trace's start and duration. Pure.

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; spanID: string }>;
  startTime: number;
  duration: number;
  processID: string;
  tags?: Array<{ key: string; value: unknown }>;
}
export interface JaegerTrace { traceID: string; spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> }

export interface WaterfallRow {
  spanId: string;
  parentId: string | null;
  depth: number;
  service: string;
  operation: string;
  /** Microseconds from the trace's first span. */
  offsetUs: number;
  durationUs: number;
  error: boolean;
  /** A few tags worth showing: route, mode, status, request id, SQL statement, activity. */
  tags: Record<string, string>;
}
export interface Waterfall { traceId: string; durationUs: number; services: string[]; spans: WaterfallRow[] }

const shown = /^(ficus\.|http\.(request\.)?method$|http\.(response\.)?status_code$|http\.route$|url\.(path|full)$|db\.(statement|query\.text|operation)$|temporal\.|error$|otel\.status_code$)/;

/** Depth-first by start time, children under their parent; a span whose parent is missing is a root. */
export const waterfallOf = (t: JaegerTrace): Waterfall => {
  const spans = [...t.spans].sort((a, b) => a.startTime - b.startTime || a.spanID.localeCompare(b.spanID));
  const ids = new Set(spans.map((s) => s.spanID));
  const parentOf = (s: JaegerSpan) => s.references?.find((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID))?.spanID ?? null;
  const children = new Map<string | null, JaegerSpan[]>();
  for (const s of spans) { const p = parentOf(s); (children.get(p) ?? children.set(p, []).get(p)!).push(s); }
  const start = spans[0]?.startTime ?? 0;
  const end = Math.max(start, ...spans.map((s) => s.startTime + s.duration));
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (s: JaegerSpan, depth: number) => {
    if (seen.has(s.spanID)) return; // a reference cycle in bad data must not loop
    seen.add(s.spanID);
    const tags: Record<string, string> = {};
    for (const x of s.tags ?? []) if (shown.test(x.key)) tags[x.key] = String(x.value).slice(0, 300);
    const error = (s.tags ?? []).some((x) => (x.key === 'error' && x.value === true) || (x.key === 'otel.status_code' && x.value === 'ERROR'));
    rows.push({ spanId: s.spanID, parentId: parentOf(s), depth, service: t.processes[s.processID]?.serviceName ?? '?', operation: s.operationName, offsetUs: s.startTime - start, durationUs: s.duration, error, tags });
    for (const c of children.get(s.spanID) ?? []) visit(c, depth + 1);
  };
  for (const r of children.get(null) ?? []) visit(r, 0);
  return { traceId: t.traceID, durationUs: end - start, services: [...new Set(rows.map((r) => r.service))], spans: rows };
};
