import { expect } from 'chai';
import { buildRouteTable } from '../routes/load-route-table.ts';
import type { RequestFacts } from '../routes/route-table.ts';
import { decide, type Decision } from './decide.ts';
import type { FlagEvaluation, FlagView } from './mode.ts';

const targets = { legacy: 'http://legacy:1', catalog: 'http://catalog:2', orders: 'http://orders:3' };
const table = buildRouteTable({
  routes: [
    { id: 'products', method: ['GET', 'HEAD'], path: '/api/products/*', service: 'catalog', flag: 'f-products' },
    { id: 'orders-v2', method: '*', path: '/api/orders', header: { name: 'X-Api-Version', value: '2' }, service: 'orders', flag: 'f-orders-v2', safe: 'service' },
    { id: 'orders', method: '*', path: '/api/orders/:id', service: 'orders', flag: 'f-orders', fallbackToLegacy: false, timeoutMs: 250 },
    { id: 'orders-list', method: ['GET', 'POST'], path: '/api/orders', service: 'orders', flag: 'f-orders-list', mirrorWrites: true },
  ],
}, 'test', { targets, timeoutMs: 1000 });

/** A fake flag view: flag → evaluation for users in the rollout; user "out" is outside every rollout. */
const flags = (state: Record<string, string | undefined>, stale = false): FlagView => ({
  stale,
  evaluate: (flag, userId): FlagEvaluation => {
    const variant = state[flag];
    if (variant === undefined || userId === 'out') return { enabled: false, variant: undefined };
    return { enabled: true, variant };
  },
});

const req = (method: string, path: string, headers: Record<string, string> = {}, userId = 'u1'): RequestFacts =>
  ({ method, path, headers, userId, sessionId: 's1' });

type Expected = Pick<Decision, 'routeId' | 'mode' | 'reason' | 'primaryTarget' | 'mirrorTarget' | 'fallbackTarget'>;
const L = targets.legacy, C = targets.catalog, O = targets.orders;

const cases: Array<[string, RequestFacts, FlagView, Expected]> = [
  ['unmatched path goes to legacy', req('GET', '/about'), flags({}), { routeId: '(unmatched)', mode: 'legacy', reason: 'unmatched', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['unmatched method goes to legacy', req('DELETE', '/api/products/1'), flags({ 'f-products': 'service' }), { routeId: '(unmatched)', mode: 'legacy', reason: 'unmatched', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['flag off → legacy', req('GET', '/api/products/1'), flags({}), { routeId: 'products', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['flag on without a mode variant → legacy', req('GET', '/api/products'), flags({ 'f-products': 'disabled' }), { routeId: 'products', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['variant legacy → legacy', req('GET', '/api/products'), flags({ 'f-products': 'legacy' }), { routeId: 'products', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['shadow → legacy serves, service mirrored', req('GET', '/api/products/7'), flags({ 'f-products': 'shadow' }), { routeId: 'products', mode: 'shadow', reason: 'flag', primaryTarget: L, mirrorTarget: C, fallbackTarget: undefined }],
  ['shadow, user outside the sample → no mirror', req('GET', '/api/products/7', {}, 'out'), flags({ 'f-products': 'shadow' }), { routeId: 'products', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['shadow does not mirror writes by default', req('PATCH', '/api/orders/3'), flags({ 'f-orders': 'shadow' }), { routeId: 'orders', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['shadow mirrors writes when the route says so', req('POST', '/api/orders'), flags({ 'f-orders-list': 'shadow' }), { routeId: 'orders-list', mode: 'shadow', reason: 'flag', primaryTarget: L, mirrorTarget: O, fallbackTarget: undefined }],
  ['canary, user inside → service with fallback', req('GET', '/api/products/7'), flags({ 'f-products': 'canary' }), { routeId: 'products', mode: 'canary', reason: 'flag', primaryTarget: C, mirrorTarget: undefined, fallbackTarget: L }],
  ['canary, user outside → legacy', req('GET', '/api/products/7', {}, 'out'), flags({ 'f-products': 'canary' }), { routeId: 'products', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['service, idempotent → fallback to legacy', req('HEAD', '/api/products'), flags({ 'f-products': 'service' }), { routeId: 'products', mode: 'service', reason: 'flag', primaryTarget: C, mirrorTarget: undefined, fallbackTarget: L }],
  ['service, POST → no fallback', req('POST', '/api/orders'), flags({ 'f-orders-list': 'service' }), { routeId: 'orders-list', mode: 'service', reason: 'flag', primaryTarget: O, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['service, route forbids fallback', req('GET', '/api/orders/3'), flags({ 'f-orders': 'service' }), { routeId: 'orders', mode: 'service', reason: 'flag', primaryTarget: O, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['header match picks the header route', req('GET', '/api/orders', { 'x-api-version': '2' }), flags({ 'f-orders-v2': 'service' }), { routeId: 'orders-v2', mode: 'service', reason: 'flag', primaryTarget: O, mirrorTarget: undefined, fallbackTarget: L }],
  ['other header value falls to the next route', req('GET', '/api/orders', { 'x-api-version': '1' }), flags({ 'f-orders-v2': 'service' }), { routeId: 'orders-list', mode: 'legacy', reason: 'flag', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['stale flags → safe target legacy', req('GET', '/api/products'), flags({ 'f-products': 'service' }, true), { routeId: 'products', mode: 'legacy', reason: 'stale', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['stale flags → safe target service', req('GET', '/api/orders', { 'x-api-version': '2' }), flags({}, true), { routeId: 'orders-v2', mode: 'service', reason: 'stale', primaryTarget: O, mirrorTarget: undefined, fallbackTarget: L }],
  ['trailing slash matches', req('GET', '/api/orders/9/'), flags({ 'f-orders': 'canary' }), { routeId: 'orders', mode: 'canary', reason: 'flag', primaryTarget: O, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['param matches one segment only', req('GET', '/api/orders/9/items'), flags({ 'f-orders': 'service' }), { routeId: '(unmatched)', mode: 'legacy', reason: 'unmatched', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
  ['wildcard matches its own root', req('GET', '/api/products'), flags({ 'f-products': 'service' }), { routeId: 'products', mode: 'service', reason: 'flag', primaryTarget: C, mirrorTarget: undefined, fallbackTarget: L }],
  ['wildcard does not match a longer prefix', req('GET', '/api/productsX'), flags({ 'f-products': 'service' }), { routeId: '(unmatched)', mode: 'legacy', reason: 'unmatched', primaryTarget: L, mirrorTarget: undefined, fallbackTarget: undefined }],
];

describe('decide (route decision)', () => {
  for (const [name, request, flagView, expected] of cases) {
    it(name, () => {
      const d = decide(request, flagView, table);
      expect({ routeId: d.routeId, mode: d.mode, reason: d.reason, primaryTarget: d.primaryTarget, mirrorTarget: d.mirrorTarget, fallbackTarget: d.fallbackTarget }).to.deep.equal(expected);
    });
  }

  it('carries the time allowed to the backend: the route\'s own, the table default, and the default for unmatched requests too', () => {
    expect(decide(req('GET', '/api/orders/3'), flags({ 'f-orders': 'service' }), table).timeoutMs).to.equal(250);
    expect(decide(req('GET', '/api/products/1'), flags({ 'f-products': 'service' }), table).timeoutMs).to.equal(1000);
    expect(decide(req('GET', '/about'), flags({}), table).timeoutMs).to.equal(1000);
  });
});

describe('decide: writes of an ownership unit go to its owner, whatever the flag', () => {
  const owned = buildRouteTable({
    routes: [
      { id: 'orders-read', method: ['GET', 'HEAD'], path: '/api/orders/*', service: 'orders', flag: 'f-read', unit: 'shop' },
      { id: 'checkout', method: 'POST', path: '/api/orders', service: 'orders', flag: 'f-write', fallbackToLegacy: false, unit: 'shop' },
      { id: 'any', method: '*', path: '/api/things/*', service: 'orders', flag: 'f-any', mirrorWrites: true, unit: 'shop' },
    ],
  }, 'test', { targets, timeoutMs: 1000 });
  const owner = (side: 'legacy' | 'service') => ({ owner: () => side });
  type Row = [string, RequestFacts, Record<string, string>, 'legacy' | 'service', Pick<Decision, 'primaryTarget' | 'reason' | 'writeUnit' | 'mirrorTarget' | 'fallbackTarget'>];
  const rows: Row[] = [
    ['flag service, legacy owns → legacy, flagged as a disagreement', req('POST', '/api/orders'), { 'f-write': 'service' }, 'legacy', { primaryTarget: L, reason: 'ownership', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['flag canary, legacy owns → legacy', req('POST', '/api/orders'), { 'f-write': 'canary' }, 'legacy', { primaryTarget: L, reason: 'ownership', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['flag off, service owns → service', req('POST', '/api/orders'), {}, 'service', { primaryTarget: O, reason: 'ownership', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['flag agrees with the owner → reason flag', req('POST', '/api/orders'), { 'f-write': 'service' }, 'service', { primaryTarget: O, reason: 'flag', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['stale flags do not move writes', req('POST', '/api/orders', {}, 'u1'), {}, 'service', { primaryTarget: O, reason: 'ownership', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['shadow never mirrors an owned write (mirrorWrites or not)', req('PUT', '/api/things/1'), { 'f-any': 'shadow' }, 'legacy', { primaryTarget: L, reason: 'ownership', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['a DELETE on the service is never retried on legacy', req('DELETE', '/api/things/1'), { 'f-any': 'service' }, 'service', { primaryTarget: O, reason: 'flag', writeUnit: 'shop', mirrorTarget: undefined, fallbackTarget: undefined }],
    ['reads follow the flag: service while legacy owns', req('GET', '/api/orders/7'), { 'f-read': 'service' }, 'legacy', { primaryTarget: O, reason: 'flag', writeUnit: undefined, mirrorTarget: undefined, fallbackTarget: L }],
    ['reads follow the flag: shadow while the service owns', req('GET', '/api/things/1'), { 'f-any': 'shadow' }, 'service', { primaryTarget: L, reason: 'flag', writeUnit: undefined, mirrorTarget: O, fallbackTarget: undefined }],
  ];
  for (const [name, request, state, side, expected] of rows) {
    it(name, () => {
      const d = decide(request, flags(state, name.startsWith('stale')), owned, owner(side));
      expect({ primaryTarget: d.primaryTarget, reason: d.reason, writeUnit: d.writeUnit, mirrorTarget: d.mirrorTarget, fallbackTarget: d.fallbackTarget }).to.deep.equal(expected);
    });
  }
});

describe('decide: read your own writes', () => {
  const owned = buildRouteTable({
    routes: [{ id: 'orders-read', method: ['GET', 'HEAD'], path: '/api/orders/*', service: 'orders', flag: 'f-read', unit: 'shop' }],
  }, 'test', { targets, timeoutMs: 1000 });
  const view = (pinnedTo: 'legacy' | 'service' | undefined) => ({ owner: () => 'legacy' as const, pinned: (_u: string, user: string | undefined) => (user === 'u1' ? pinnedTo : undefined) });

  it('sends the writer\'s read to the side of the write while the flag says the other side; others follow the flag', () => {
    const f = flags({ 'f-read': 'service' });
    expect(decide(req('GET', '/api/orders/9'), f, owned, view('legacy'))).to.include({ primaryTarget: L, reason: 'read-your-writes' });
    expect(decide(req('GET', '/api/orders/9', {}, 'u2'), f, owned, view('legacy'))).to.include({ primaryTarget: O, reason: 'flag' });
    expect(decide(req('GET', '/api/orders/9'), f, owned, view('service'))).to.include({ primaryTarget: O, reason: 'flag' });
    expect(decide(req('GET', '/api/orders/9'), f, owned, view(undefined))).to.include({ primaryTarget: O, reason: 'flag' });
  });
});
