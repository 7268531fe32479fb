// The proxy as main.ts starts it, plus comparison of every shadow answer (issue 10's "shadow at 100 %
// with comparison"): each answer is captured and compared with compareResponses against the route's
// primary response, fetched once at start from BENCH_PRIMARY_URL. Benchmark use only.
import { readProxyConfig } from '../strangler-proxy/src/config.ts';
import { createProxy } from '../strangler-proxy/src/create-proxy.ts';
import { compareResponses, sha256, type CapturedResponse } from '../strangler-proxy/src/compare/compare-responses.ts';
import { compileCompareRules } from '../strangler-proxy/src/compare/compare-rules.ts';

const primaryUrl = process.env.BENCH_PRIMARY_URL;
if (!primaryUrl) throw new Error('BENCH_PRIMARY_URL is required');
const r = await fetch(primaryUrl);
const body = Buffer.from(await r.arrayBuffer());
const primary: CapturedResponse = { status: r.status, headers: Object.fromEntries(r.headers), body, bodyBytes: body.length, bodyHash: sha256(body) };
const rules = compileCompareRules({ ignore: ['$..updatedAt'] });
let compared = 0;
let mismatched = 0;
const proxy = await createProxy({
  config: readProxyConfig(),
  onShadowResult: (s) => {
    if (s.status === undefined) return;
    const b = s.body ?? Buffer.alloc(0);
    const c = compareResponses(primary, { status: s.status, headers: s.headers ?? {}, body: b, bodyBytes: b.length, bodyHash: sha256(b) }, rules);
    compared++;
    if (c.differences.length) mismatched++;
  },
});
process.once('SIGTERM', () => {
  console.log(JSON.stringify({ compared, mismatched }));
  void proxy.close().then(() => process.exit(0));
});
