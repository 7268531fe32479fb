import { expect } from 'chai';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from '@ficus/common/testing';
import { migrationErrorCodes } from './migration-error-codes.ts';

describe('migration workflow error codes', () => {
  it('are the ones docs/components/migration-workflows.md lists under "## Error codes", with the same status and meaning', () => {
    const documented = documentedErrorCodes(new URL('../../../docs/components/migration-workflows.md', import.meta.url));
    expect(documented).to.deep.equal(catalogueAsDocumented(migrationErrorCodes));
  });

  it('include every code src/migration/ raises or answers (or @ficus/common\'s catalogue does)', () => {
    expect(uncataloguedCodes(raisedErrorCodes(new URL('../migration/', import.meta.url)), migrationErrorCodes)).to.deep.equal([]);
  });
});
