import { expect } from 'chai';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from '@ficus/common/testing';
import { migrationErrorCodes } from './migration-error-codes.ts';
import { sagaErrorCodes } from './saga-error-codes.ts';

describe('order saga error codes', () => {
  it('are the ones docs/components/workflows.md lists under "## Error codes", with the same status and meaning', () => {
    const documented = documentedErrorCodes(new URL('../../../docs/components/workflows.md', import.meta.url));
    expect(documented).to.deep.equal(catalogueAsDocumented(sagaErrorCodes));
  });

  it('include every code src/order-saga/ raises (or @ficus/common\'s catalogue does)', () => {
    expect(uncataloguedCodes(raisedErrorCodes(new URL('../order-saga/', import.meta.url)), sagaErrorCodes)).to.deep.equal([]);
  });

  it('leave no code anywhere in workflows/src outside the saga, migration and common catalogues', () => {
    expect(uncataloguedCodes(raisedErrorCodes(new URL('..', import.meta.url)), sagaErrorCodes, migrationErrorCodes)).to.deep.equal([]);
  });
});
