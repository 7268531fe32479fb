import { expect } from 'chai';
import { mariadbUnreachable } from './mysql-errors.ts';

describe('mariadbUnreachable', () => {
  it('tells MariaDB not answering from a refusal', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR']) expect(mariadbUnreachable(Object.assign(new Error(code), { code })), code).to.equal(true);
    expect(mariadbUnreachable(Object.assign(new Error('pool'), { name: 'KnexTimeoutError' }))).to.equal(true);
    expect(mariadbUnreachable(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]))).to.equal(true);
    expect(mariadbUnreachable(new Error('wrapped', { cause: Object.assign(new Error('c'), { code: 'EHOSTUNREACH' }) }))).to.equal(true);
    for (const code of ['ER_ACCESS_DENIED_ERROR', 'ER_NO_SUCH_TABLE', 'ER_TABLEACCESS_DENIED_ERROR', undefined]) expect(mariadbUnreachable(Object.assign(new Error('x'), { code })), String(code)).to.equal(false);
    expect(mariadbUnreachable('ECONNREFUSED')).to.equal(false);
  });
});
