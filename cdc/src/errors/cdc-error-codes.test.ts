import { expect } from 'chai';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from '@ficus/common/testing';
import { cdcErrorCodes } from './cdc-error-codes.ts';

describe('cdc error codes', () => {
  it('are the ones docs/components/cdc.md lists under "## Error codes", with the same status and meaning', () => {
    const documented = documentedErrorCodes(new URL('../../../docs/components/cdc.md', import.meta.url));
    expect(documented).to.deep.equal(catalogueAsDocumented(cdcErrorCodes));
  });

  it('include every code cdc/src raises, answers or dead-letters (or @ficus/common\'s catalogue does)', () => {
    expect(uncataloguedCodes(raisedErrorCodes(new URL('..', import.meta.url)), cdcErrorCodes)).to.deep.equal([]);
  });
});
