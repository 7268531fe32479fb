import { expect } from 'chai';
import { fleetProblems, routeBehaviour, type RouteRow, type RoutesAnswer } from './route-agreement.ts';

const row = (id: string, o: Partial<RouteRow> = {}): RouteRow => ({
  id, methods: ['GET'], path: `/api/${id}`, header: null, service: 'catalog', flag: `ficus.route.${id}`, flagExists: true, flagEnabled: true,
  mode: 'canary', percent: 10, problem: null, safe: 'legacy', fallbackToLegacy: true, effective: 'canary', unit: null, owner: null, ownerState: null, flagDisagrees: false, ...o,
});
const answer = (routes: RouteRow[], stale = false): RoutesAnswer => ({ flags: { stale, stalenessMs: stale ? 90_000 : 200, lastSyncAt: '2026-12-02T19:00:00.000Z' }, routes });

describe('a proxy fleet\'s routes compared across replicas', () => {
  it('says nothing when every replica answered fresh and they agree', () => {
    const routes = [row('products'), row('checkout', { mode: 'legacy', unit: 'orders', owner: 'legacy', ownerState: 'stable' })];
    expect(fleetProblems([{ url: 'http://a', answer: answer(routes) }, { url: 'http://b', answer: answer(routes.map((r) => ({ ...r }))) }])).to.deep.equal([]);
    expect(fleetProblems([{ url: 'http://a', answer: answer(routes) }]), 'one replica: nothing to compare').to.deep.equal([]);
  });

  it('names the route and each replica\'s behaviour when they differ: mode, percent, flag, owner or hold', () => {
    const a = answer([row('products'), row('checkout', { unit: 'orders', owner: 'service', ownerState: 'holding' })]);
    const b = answer([row('products', { percent: 50 }), row('checkout', { unit: 'orders', owner: 'service', ownerState: 'stable' })]);
    expect(fleetProblems([{ url: 'http://a', answer: a }, { url: 'http://b', answer: b }])).to.deep.equal([
      'products: replicas disagree: http://a canary 10% (flag on); http://b canary 50% (flag on)',
      'checkout: replicas disagree: http://a canary 10% (flag on), writes to service (held); http://b canary 10% (flag on), writes to service',
    ]);
    const off = answer([row('products', { mode: 'legacy', flagEnabled: false })]);
    expect(fleetProblems([{ url: 'http://a', answer: answer([row('products')]) }, { url: 'http://b', answer: off }])[0]).to.equal('products: replicas disagree: http://a canary 10% (flag on); http://b legacy (flag off)');
  });

  it('reports a route only some replicas have, a replica on stale flags and one that did not answer', () => {
    const problems = fleetProblems([
      { url: 'http://a', answer: answer([row('products'), row('search')]) },
      { url: 'http://b', answer: answer([row('products')], true) },
      { url: 'http://c', error: 'connect ECONNREFUSED 127.0.0.1:8085' },
    ]);
    expect(problems).to.deep.equal([
      'replica http://b: flags STALE (last sync 2026-12-02T19:00:00.000Z): its routes are on their safe targets',
      'replica http://c: connect ECONNREFUSED 127.0.0.1:8085',
      'search: replicas disagree: http://a canary 10% (flag on); http://b no such route',
    ]);
  });

  it('words a route\'s behaviour as the table does', () => {
    expect(routeBehaviour(row('p', { mode: 'legacy', flagExists: false }))).to.equal('legacy (flag missing)');
    expect(routeBehaviour(row('p', { mode: 'shadow', percent: 100 }))).to.equal('shadow 100% (flag on)');
  });
});
