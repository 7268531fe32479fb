import { expect } from 'chai';
import { cdcErrorCodes } from '@ficus/cdc';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from '@ficus/common/testing';
import { stackErrorCodes } from '@ficus/stack';
import { cliErrorCodes } from './cli-error-codes.ts';

describe('cli error codes', () => {
  it('are the ones docs/components/cli.md lists under "## Error codes", with the same status and meaning', () => {
    const documented = documentedErrorCodes(new URL('../../../docs/components/cli.md', import.meta.url));
    expect(documented).to.deep.equal(catalogueAsDocumented(cliErrorCodes));
  });

  it('include every code cli/src raises, or the package it comes from lists it (stack, CDC, common)', () => {
    const raised = raisedErrorCodes(new URL('..', import.meta.url));
    expect(uncataloguedCodes(raised, cliErrorCodes, stackErrorCodes, cdcErrorCodes)).to.deep.equal([]);
  });

  it('do not reuse a code the stack or the CDC means differently', () => {
    const others = [stackErrorCodes, cdcErrorCodes];
    expect(Object.keys(cliErrorCodes).filter((code) => others.some((c) => Object.hasOwn(c, code)))).to.deep.equal([]);
  });
});
