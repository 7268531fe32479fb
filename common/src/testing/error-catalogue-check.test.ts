import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from './error-catalogue-check.ts';

describe('error catalogue check', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ficus-error-codes-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('finds the codes production source raises or answers, and none from tests or testing helpers', () => {
    mkdirSync(join(dir, 'src', 'a', 'testing'), { recursive: true });
    writeFileSync(join(dir, 'src', 'a', 'x.ts'), [
      "throw new FicusError('X_THROWN', 'm');",
      "throw new FicusError(\n  'X_NEXT_LINE', 'm');",
      "throw badRequest('X_BAD', 'm'); throw stackError('X_FACTORY', 'c', 'm');",
      "throw ApplicationFailure.create({ type: 'X_FAILURE', message: 'm' });",
      "send(res, 404, { error: { code: 'X_ANSWERED', message: 'm' } });",
      "return dead('X_DEAD', 'why');",
    ].join('\n'));
    writeFileSync(join(dir, 'src', 'a', 'x.test.ts'), "throw new FicusError('X_IN_TEST', 'm');");
    writeFileSync(join(dir, 'src', 'a', 'testing', 'helper.ts'), "throw new FicusError('X_IN_HELPER', 'm');");
    const raised = raisedErrorCodes(pathToFileURL(join(dir, 'src') + '/'));
    expect([...raised.keys()].sort()).to.deep.equal(['X_ANSWERED', 'X_BAD', 'X_DEAD', 'X_FACTORY', 'X_FAILURE', 'X_NEXT_LINE', 'X_THROWN']);
    expect(uncataloguedCodes(raised, { X_THROWN: {}, X_BAD: {} }, { X_FACTORY: {}, X_FAILURE: {}, X_ANSWERED: {}, X_DEAD: {} }))
      .to.deep.equal([`X_NEXT_LINE (${join('a', 'x.ts')})`]);
  });

  it('reads only the "## Error codes" table of a page', () => {
    const page = join(dir, 'page.md');
    writeFileSync(page, [
      '# P', '| code | status | meaning |', '|---|---|---|', '| `BEFORE` | 400 | not this one |',
      '## Error codes', 'Intro.', '', '| code | status | meaning |', '|---|---|---|',
      '| `A_CODE` | 409 | taken, `details.x` |', '| `B_CODE` | start | refused |', '',
      '## Tests', '| `AFTER` | 500 | nor this one |',
    ].join('\n'));
    expect(documentedErrorCodes(pathToFileURL(page))).to.deep.equal(catalogueAsDocumented({
      A_CODE: { status: 409, meaning: 'taken, `details.x`' }, B_CODE: { status: 'start', meaning: 'refused' },
    }));
  });
});
