import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { cockpitErrorCodes } from './cockpit-error-codes.ts';

describe('cockpit error codes', () => {
  it('are the ones the component docs list, with the same statuses', () => {
    const page = readFileSync(new URL('../../../docs/components/cockpit.md', import.meta.url), 'utf8');
    const doc = page.slice(page.indexOf('## Error codes'), page.indexOf('\n## ', page.indexOf('## Error codes') + 1));
    const documented = Object.fromEntries([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}|start) \|/gm)].map((m) => [m[1]!, m[2]!]));
    const inCode = Object.fromEntries(Object.entries(cockpitErrorCodes).map(([code, { status }]) => [code, status === 500 ? 'start' : String(status)]));
    expect(documented).to.deep.equal(inCode);
  });
});
