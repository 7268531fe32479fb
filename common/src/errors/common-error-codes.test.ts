import { expect } from 'chai';
import { catalogueAsDocumented, documentedErrorCodes, raisedErrorCodes, uncataloguedCodes } from '../testing/error-catalogue-check.ts';
import { commonErrorCodes } from './common-error-codes.ts';
import { sharedServiceErrorCodes } from './service-error-codes.ts';

describe('@ficus/common error codes', () => {
  it('are the ones docs/components/extracted-services.md lists under "## Error codes", with the same status and meaning', () => {
    const documented = documentedErrorCodes(new URL('../../../docs/components/extracted-services.md', import.meta.url));
    expect(documented).to.deep.equal(catalogueAsDocumented(commonErrorCodes));
  });

  it('include every code common/src raises or answers', () => {
    expect(uncataloguedCodes(raisedErrorCodes(new URL('..', import.meta.url)))).to.deep.equal([]);
  });

  it('give the shared service codes the statuses the services spread', () => {
    for (const [code, status] of Object.entries(sharedServiceErrorCodes)) {
      expect(commonErrorCodes[code as keyof typeof commonErrorCodes]?.status, code).to.equal(status);
    }
  });
});
