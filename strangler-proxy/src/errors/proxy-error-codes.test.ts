import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { proxyErrorCodes } from './proxy-error-codes.ts';

describe('proxy error codes', () => {
  it('are the ones the component docs list, with the same statuses', () => {
    const doc = readFileSync(new URL('../../../docs/components/strangler-proxy.md', import.meta.url), 'utf8');
    const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}|start) \|/gm)].map((m) => [m[1]!, m[2]!]));
    const inCode = new Map(Object.entries(proxyErrorCodes).map(([code, { status }]) => [code, status === 500 ? 'start' : String(status)]));
    expect(Object.fromEntries(documented)).to.deep.equal(Object.fromEntries(inCode));
  });
});
