import { expect } from 'chai';
import { cookieOf, createSessions } from './sessions.ts';

describe('cockpit sign-in sessions', () => {
  const clock = { t: 1_000_000 };
  const make = (secret = 'a-secret-of-enough-length') => createSessions({ secret, sessionMs: 60_000, linkMs: 5_000, now: () => clock.t });

  it('a link works once, and gives a session cookie that the cockpit accepts', () => {
    const s = make();
    const { code } = s.mintCode();
    const session = s.redeem(code);
    expect(session?.maxAgeSeconds).to.equal(60);
    expect(s.valid(session!.value)).to.equal(true);
    expect(s.redeem(code), 'second use').to.equal(undefined);
  });

  it('refuses expired links, unknown codes and non-strings', () => {
    const s = make();
    const { code } = s.mintCode();
    clock.t += 5_001;
    expect(s.redeem(code)).to.equal(undefined);
    expect(s.redeem('made-up')).to.equal(undefined);
    expect(s.redeem(['x'])).to.equal(undefined);
  });

  it('refuses tampered, foreign and expired sessions; a restart with the same secret keeps them', () => {
    const s = make();
    const value = s.redeem(s.mintCode().code)!.value;
    const [until, nonce, sig] = value.split('.');
    expect(s.valid(`${Number(until) + 999_999}.${nonce}.${sig}`), 'extended expiry').to.equal(false);
    expect(s.valid(`${value}x`)).to.equal(false);
    expect(s.valid(undefined)).to.equal(false);
    expect(make('another-secret-of-length').valid(value), 'other secret').to.equal(false);
    expect(make().valid(value), 'same secret, new process').to.equal(true);
    clock.t += 60_001;
    expect(s.valid(value), 'expired').to.equal(false);
  });

  it('reads one cookie from a Cookie header', () => {
    expect(cookieOf('a=1; ficus_cockpit_session=v.w.x; b=2', 'ficus_cockpit_session')).to.equal('v.w.x');
    expect(cookieOf(undefined, 'x')).to.equal(undefined);
    expect(cookieOf('xa=1', 'a')).to.equal(undefined);
  });
});
