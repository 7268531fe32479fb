import { expect } from 'chai';
import { signServiceToken, signUserToken, verifyUserToken } from './user-token.ts';

describe('signed user token (x-ficus-user)', () => {
  const secret = 'a-test-secret-of-at-least-32-characters!';
  const now = Date.UTC(2025, 0, 1);
  const exp = now / 1000 + 60;

  it('round-trips the claims', () => {
    const t = signUserToken({ userId: 42, role: 'admin', exp }, secret);
    expect(verifyUserToken(t, [secret], now)).to.deep.equal({ ok: true, claims: { userId: 42, role: 'admin', exp } });
  });

  it('accepts any configured secret (rotation) and refuses others', () => {
    const t = signUserToken({ userId: 1, role: 'customer', exp }, secret);
    expect(verifyUserToken(t, ['new-secret-xxxxxxxxxxxxxxxxxxxxxxxxxxxx', secret], now).ok).to.equal(true);
    expect(verifyUserToken(t, ['another-secret-xxxxxxxxxxxxxxxxxxxxxxxx'], now)).to.deep.equal({ ok: false, reason: 'bad-signature' });
  });

  it('refuses expired, tampered and malformed tokens', () => {
    const t = signUserToken({ userId: 1, role: 'customer', exp }, secret);
    expect(verifyUserToken(t, [secret], exp * 1000)).to.deep.equal({ ok: false, reason: 'expired' });
    const [v, , sig] = t.split('.');
    const forged = `${v}.${Buffer.from(JSON.stringify({ sub: 1, role: 'admin', exp })).toString('base64url')}.${sig}`;
    expect(verifyUserToken(forged, [secret], now)).to.deep.equal({ ok: false, reason: 'bad-signature' });
    for (const bad of ['', 'v1.x', 'v2.a.b', 'v1..', `${t}.x`]) expect(verifyUserToken(bad, [secret], now).ok).to.equal(false);
    const wrongRole = signUserToken({ userId: 1, role: 'root' as 'admin', exp }, secret);
    expect(verifyUserToken(wrongRole, [secret], now)).to.deep.equal({ ok: false, reason: 'malformed' });
  });

  it('signs short-lived service tokens', () => {
    const r = verifyUserToken(signServiceToken(secret, 30, now), [secret], now);
    expect(r).to.deep.equal({ ok: true, claims: { userId: 0, role: 'service', exp: now / 1000 + 30 } });
  });
});
