import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readProxyConfig } from '../config.ts';
import { createProxy } from '../create-proxy.ts';
import { loadFlagBootstrap, parseFlagBootstrap } from '../flags/flag-bootstrap.ts';
import { buildRouteTable, loadRouteTable } from './load-route-table.ts';

const targets = { legacy: 'http://127.0.0.1:3000', catalog: 'http://127.0.0.1:3101' };
const opts = { targets, timeoutMs: 1000 };
const ok = { id: 'a', method: 'GET', path: '/api/a', service: 'catalog', flag: 'f.a' };

const problemsOf = (input: unknown): string[] => {
  try {
    buildRouteTable(input, 'routes.json', opts);
  } catch (e) {
    expect((e as { code: string }).code).to.equal('ROUTE_TABLE_INVALID');
    return (e as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected the table to be refused');
};

describe('route table validation', () => {
  it('accepts the repository route table and flag bootstrap', () => {
    const config = readProxyConfig({});
    const table = loadRouteTable(config.routesFile, { targets: config.targets, timeoutMs: config.timeoutMs });
    expect(table.routes.length).to.be.greaterThan(0);
    const bootstrap = loadFlagBootstrap(config.flagsBootstrapFile);
    for (const flag of table.flags) expect(bootstrap.flags, `bootstrap lists ${flag}`).to.have.property(flag);
  });

  const cases: Array<[string, unknown, string[]]> = [
    ['no routes array', {}, ['routes.json: routes: expected "routes": [ … ]']],
    ['unknown top-level field', { routes: [], extra: 1 }, ['routes.json: (root): Unrecognized key: "extra"']],
    ['bad method', { routes: [{ ...ok, method: 'FETCH' }] }, ['routes.json: routes[0] (id "a"): method: expected "*", one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, or a list of them']],
    ['path without slash', { routes: [{ ...ok, path: 'api/a' }] }, ['routes.json: routes[0] (id "a"): path: expected a path starting with "/"']],
    ['wildcard not last', { routes: [{ ...ok, path: '/api/*/x' }] }, ['routes.json: routes[0] (id "a"): path: expected "*" only as the last segment']],
    ['unknown target', { routes: [{ ...ok, service: 'billing' }] }, ['routes.json: routes[0] (id "a"): service: expected a known target (legacy, catalog), found "billing"']],
    ['missing flag and a typo field', { routes: [{ id: 'b', method: 'GET', path: '/b', service: 'catalog', fallback: true }] }, [
      'routes.json: routes[0] (id "b"): flag: expected the Unleash flag name',
      'routes.json: routes[0] (id "b"): (entry): unknown field(s) "fallback"',
    ]],
    ['bad safe target', { routes: [{ ...ok, safe: 'nginx' }] }, ['routes.json: routes[0] (id "a"): safe: expected "legacy" or "service"']],
    ['duplicate id and shadowed entry', { routes: [ok, { ...ok }] }, [
      'routes.json: routes[1] (id "a"): id: expected a unique id, "a" is also routes[0]',
      'routes.json: routes[1] (id "a"): expected a method/path/header different from routes[0] (this entry could never match)',
    ]],
    ['one line per mistake across entries', { routes: [{ ...ok, timeoutMs: -1 }, { ...ok, id: 'c', flag: 'bad flag' }] }, [
      'routes.json: routes[0] (id "a"): timeoutMs: expected at least 1 ms',
      'routes.json: routes[1] (id "c"): flag: expected an Unleash flag name (letters, digits, ".", "_", "-")',
    ]],
  ];
  for (const [name, input, expected] of cases) {
    it(`refuses: ${name}`, () => expect(problemsOf(input)).to.deep.equal(expected));
  }

  it('names the file and position of a JSON syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ficus-routes-'));
    const file = join(dir, 'routes.json');
    writeFileSync(file, '{ "routes": [\n  { "id": "a", }\n] }');
    expect(() => loadRouteTable(file, opts)).to.throw(/routes\.json: expected valid JSON: .*line 2/);
  });

  it('refuses a bad flag bootstrap with a precise message', () => {
    expect(() => parseFlagBootstrap({ flags: { 'f.a': { mode: 'canari', percent: 150 } } }, 'flags-bootstrap.json')).to.throw(
      'flags-bootstrap.json: flags.f.a.mode: expected one of legacy, shadow, canary, service\n  flags-bootstrap.json: flags.f.a.percent: expected a number 0–100',
    );
  });

  it('stops the start on a bad route table file, before listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ficus-routes-'));
    const file = join(dir, 'routes.json');
    writeFileSync(file, JSON.stringify({ routes: [{ ...ok, method: 'get' }] }));
    const config = readProxyConfig({ FICUS_PROXY_ROUTES_FILE: file, FICUS_PROXY_PORT: '0', FICUS_PROXY_ADMIN_PORT: '0' });
    let error: { code?: string; message?: string } = {};
    await createProxy({ config }).catch((e) => { error = e; });
    expect(error.code).to.equal('ROUTE_TABLE_INVALID');
    expect(error.message).to.contain(`${file}: routes[0] (id "a"): method: expected`);
  });
});
