import { expect } from 'chai';
import { FicusError, isFicusError } from './ficus-error.ts';

describe('FicusError', () => {
  it('carries a stable code, status and retriability across JSON', () => {
    const e = new FicusError('ORDER_OUT_OF_STOCK', 'not enough stock', { status: 409, details: { productId: 7 } });
    expect(JSON.parse(JSON.stringify(e))).to.deep.equal({ code: 'ORDER_OUT_OF_STOCK', message: 'not enough stock', details: { productId: 7 } });
    expect(e.status).to.equal(409);
    expect(e.retriable).to.equal(false);
    expect(isFicusError(e)).to.equal(true);
    expect(isFicusError(new Error('x'))).to.equal(false);
  });
});
