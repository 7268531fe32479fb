import { expect } from 'chai';
import { verifyUserToken } from '@ficus/common';
import { createSessionIdentity } from './session-identity.ts';

const secret = 'a-test-secret-that-is-long-enough-for-hmac';

describe('session identity', () => {
  const setup = (users: Record<string, { userId: number; role: 'customer' | 'admin' } | undefined>) => {
    let t = 1_000_000;
    const lookups: string[] = [];
    const id = createSessionIdentity({
      secret, cacheMs: 30_000, tokenTtlSeconds: 120, now: () => t,
      lookup: async (cookie) => { lookups.push(cookie); return users[cookie]; },
    });
    return { id, lookups, advance: (ms: number) => { t += ms; }, now: () => t };
  };

  it('signs a header services accept, and looks a session up once while it is fresh', async () => {
    const { id, lookups, now } = setup({ 'ficus_session=a': { userId: 7, role: 'customer' } });
    expect(id.cached('a')).to.equal(null);
    const token = await id.resolve('a', 'ficus_session=a');
    const v = verifyUserToken(token!, [secret], now());
    expect(v.ok && v.claims).to.deep.include({ userId: 7, role: 'customer' });
    expect(id.cached('a')).to.equal(token);
    expect(lookups).to.have.length(1);
  });

  it('an invalid session gets no header, and is asked again after a short while', async () => {
    const { id, lookups, advance } = setup({});
    expect(await id.resolve('x', 'ficus_session=x')).to.equal(undefined);
    expect(id.cached('x')).to.equal(undefined);
    advance(6000);
    expect(id.cached('x')).to.equal(null);
    await id.resolve('x', 'ficus_session=x');
    expect(lookups).to.have.length(2);
  });

  it('asks again after the cache period (a logout takes effect) and shares one lookup between concurrent requests', async () => {
    const users: Record<string, { userId: number; role: 'customer' } | undefined> = { 'ficus_session=b': { userId: 9, role: 'customer' } };
    const { id, lookups, advance } = setup(users);
    await Promise.all([id.resolve('b', 'ficus_session=b'), id.resolve('b', 'ficus_session=b'), id.resolve('b', 'ficus_session=b')]);
    expect(lookups).to.have.length(1);
    users['ficus_session=b'] = undefined; // logged out
    advance(31_000);
    expect(id.cached('b')).to.equal(null);
    expect(await id.resolve('b', 'ficus_session=b')).to.equal(undefined);
  });

  it('a lookup that fails (monolith down) gives no header rather than an error', async () => {
    const id = createSessionIdentity({ secret, lookup: async () => { throw new Error('down'); } });
    expect(await id.resolve('c', 'ficus_session=c')).to.equal(undefined);
  });
});
