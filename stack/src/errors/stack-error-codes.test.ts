import { expect } from 'chai';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from '@ficus/common/testing';
import { stackErrorCodes } from './stack-error-codes.ts';

describe('stack error codes', () => {
  it('are the ones docs/components/stack.md lists under "## Error codes", with the same status and meaning', () => {
    const documented = documentedErrorCodes(new URL('../../../docs/components/stack.md', import.meta.url));
    expect(documented).to.deep.equal(catalogueAsDocumented(stackErrorCodes));
  });

  it('include every code stack/src raises (or @ficus/common\'s catalogue does)', () => {
    expect(uncataloguedCodes(raisedErrorCodes(new URL('..', import.meta.url)), stackErrorCodes)).to.deep.equal([]);
  });
});
