import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { compareResponses, sha256, type CapturedResponse } from './compare-responses.ts';
import { compileCompareRules, type CompareRulesInput } from './compare-rules.ts';

const json = (value: unknown, headers: Record<string, string> = {}, status = 200): CapturedResponse => {
  const body = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return { status, headers: { 'content-type': 'application/json', ...headers }, body, bodyBytes: body.length, bodyHash: sha256(body) };
};
const raw = (text: string, contentType = 'text/plain', status = 200): CapturedResponse => {
  const body = Buffer.from(text);
  return { status, headers: { 'content-type': contentType }, body, bodyBytes: body.length, bodyHash: sha256(body) };
};

interface Case {
  name: string;
  primary: CapturedResponse;
  candidate: CapturedResponse;
  rules?: CompareRulesInput;
  /** Expected `path kind` lines, in order. */
  expect: string[];
  bodyMode?: string;
  error?: RegExp;
}

const cases: Case[] = [
  { name: 'equal JSON', primary: json({ a: 1, b: [1, 2] }), candidate: json({ b: [1, 2], a: 1 }), expect: [], bodyMode: 'json' },
  { name: 'a changed field at its path', primary: json({ items: [{ id: 1, price: 10 }] }), candidate: json({ items: [{ id: 1, price: 11 }] }), expect: ['$.items[0].price changed'] },
  { name: 'added and removed properties', primary: json({ a: 1, b: 2 }), candidate: json({ a: 1, c: 2 }), expect: ['$.b removed', '$.c added'] },
  { name: 'status and a configured header', primary: json({}, { 'cache-control': 'max-age=60' }), candidate: json({}, { 'cache-control': 'no-store' }, 201),
    rules: { compareHeaders: ['content-type', 'cache-control'] }, expect: ['status changed', 'header:cache-control changed'] },
  { name: 'headers not configured are ignored', primary: json({}, { 'x-extra': '1' }), candidate: json({}, { 'x-extra': '2' }), expect: [] },
  { name: 'ignored paths with wildcards', primary: json({ meta: { at: 1, host: 'a' }, items: [{ v: 1, t: 1 }] }), candidate: json({ meta: { at: 2, host: 'b' }, items: [{ v: 1, t: 2 }] }),
    rules: { ignore: ['$.meta.*', '$.items[*].t'] }, expect: [] },
  { name: 'numeric tolerance (absolute)', primary: json({ p: 10.0, q: 5 }), candidate: json({ p: 10.004, q: 6 }), rules: { tolerance: [{ path: '$.p', absolute: 0.01 }, { path: '$.q', absolute: 0.5 }] }, expect: ['$.q changed'] },
  { name: 'numeric tolerance (relative)', primary: json({ p: 1000 }), candidate: json({ p: 1009 }), rules: { tolerance: [{ path: '$..p', relative: 0.01 }] }, expect: [] },
  { name: 'arrays in another order are a difference by default', primary: json({ tags: ['a', 'b'] }), candidate: json({ tags: ['b', 'a'] }), expect: ['$.tags[0] added', '$.tags[1] removed'] },
  { name: 'arrays as sets ignore order and name the extra member', primary: json({ tags: ['a', 'b'] }), candidate: json({ tags: ['b', 'a', 'c'] }), rules: { arrays: [{ path: '$.tags', as: 'set' }] }, expect: ['$.tags[=c] added'] },
  { name: 'arrays by key: reordered equal, changed element named by key', primary: json({ items: [{ id: 1, n: 'x' }, { id: 2, n: 'y' }] }), candidate: json({ items: [{ id: 2, n: 'Y' }, { id: 1, n: 'x' }] }),
    rules: { arrays: [{ path: '$.items', by: 'id' }] }, expect: ['$.items[id=2].n changed'] },
  { name: 'timestamp and uuid normalisers', primary: json({ at: '2024-01-01T00:00:00Z', id: '0b8e3c4e-1f1a-4b6e-9a43-1d0c2c7e1a11', n: 'x' }),
    candidate: json({ at: '2025-06-01T10:11:12.123Z', id: 'a7d1b5f0-3c2e-4d11-8f00-22aa33bb44cc', n: 'x' }),
    rules: { normalise: [{ path: '$..at', as: 'timestamp' }, { path: '$..id', as: 'uuid' }] }, expect: [] },
  { name: 'a normaliser leaves values not of its kind alone', primary: json({ at: 'soon' }), candidate: json({ at: 'later' }), rules: { normalise: [{ path: '$.at', as: 'timestamp' }] }, expect: ['$.at changed'] },
  { name: 'generated ids', primary: json({ order: { id: 41, ref: 'ORD-41' } }), candidate: json({ order: { id: 977, ref: 'ORD-977' } }),
    rules: { normalise: [{ path: '$.order.id', as: 'generated-id' }, { path: '$.order.ref', as: 'generated-id' }] }, expect: [] },
  { name: 'non-JSON bodies by hash', primary: raw('hello'), candidate: raw('hullo'), expect: ['$ changed'], bodyMode: 'hash' },
  { name: 'equal non-JSON bodies', primary: raw('<p>x</p>', 'text/html'), candidate: raw('<p>x</p>', 'text/html'), expect: [], bodyMode: 'hash' },
  { name: 'empty bodies', primary: raw(''), candidate: raw(''), expect: [], bodyMode: 'empty' },
  { name: 'invalid JSON from the candidate is an error', primary: json({ a: 1 }), candidate: json('{"a":'), expect: [], error: /candidate body is not valid JSON/ },
  { name: 'gzip bodies are decoded first', primary: json({ a: 1 }), candidate: (() => { const body = gzipSync('{"a":2}'); return { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body, bodyBytes: body.length, bodyHash: sha256(body) }; })(), expect: ['$.a changed'] },
  { name: 'a body over the capture bound compares by hash', primary: { ...json({ a: 1 }), body: undefined }, candidate: { ...json({ a: 1 }), body: undefined }, expect: [], bodyMode: 'hash' },
  { name: 'a JSON body against a non-JSON one compares by hash', primary: json({ a: 1 }), candidate: raw('{"a":1}'), expect: ['header:content-type changed'], bodyMode: 'hash' },
];

describe('compareResponses', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = compareResponses(c.primary, c.candidate, compileCompareRules(c.rules ?? {}));
      expect(r.differences.map((d) => `${d.path} ${d.kind}`)).to.deep.equal(c.expect);
      if (c.bodyMode) expect(r.bodyMode).to.equal(c.bodyMode);
      if (c.error) expect(r.error).to.match(c.error); else expect(r.error).to.equal(undefined);
    });
  }

  it('caps the list and keeps the total', () => {
    const a = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i + 1]));
    const r = compareResponses(json(a), json(b), compileCompareRules({ maxDifferences: 5 }));
    expect(r.differences).to.have.length(5);
    expect(r.total).to.equal(30);
  });

  it('reports values and the field a difference counts under', () => {
    const [d] = compareResponses(json({ items: [{ price: 1 }, { price: 2 }] }), json({ items: [{ price: 1 }, { price: 3 }] }), compileCompareRules({})).differences;
    expect(d).to.include({ where: 'body', path: '$.items[1].price', field: '$.items[*].price', primary: 2, candidate: 3 });
  });
});
