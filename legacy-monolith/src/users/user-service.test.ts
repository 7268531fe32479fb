import { expect } from 'chai';
import { fakeFixture } from '../testing/fake-fixture.ts';
import { createUserService } from './user-service.ts';
import { sessionIdOf } from './session-token.ts';

const setup = () => {
  const f = fakeFixture();
  return { f, users: createUserService({ stores: f.stores, uow: f.uow, hasher: f.hasher, clock: f.clock, sessionTtlHours: 1 }) };
};
const rejection = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: { code: string }) => e);

describe('user service (fakes)', () => {
  it('registers, stores a hash and only the SHA-256 of the session token', async () => {
    const { f, users } = setup();
    const { user, token } = await users.register({ email: 'A@B.com', password: 'password1', name: 'A' });
    expect(user).to.not.have.property('passwordHash');
    expect(user.email).to.equal('a@b.com');
    expect(f.db.users[0]?.passwordHash).to.match(/^scrypt\$/);
    expect(f.db.sessions.map((s) => s.id)).to.deep.equal([sessionIdOf(token)]);
    expect((await users.userForSession(token))?.id).to.equal(user.id);
  });

  it('expires sessions after the TTL', async () => {
    const { f, users } = setup();
    const { token } = await users.register({ email: 'x@y.com', password: 'password1', name: 'X' });
    f.db.sessions[0]!.expiresAt = new Date(f.clock().getTime() - 1);
    expect(await users.userForSession(token)).to.equal(undefined);
  });

  it('refuses duplicate emails and wrong passwords with stable codes', async () => {
    const { users } = setup();
    await users.register({ email: 'x@y.com', password: 'password1', name: 'X' });
    expect((await rejection(users.register({ email: 'X@Y.COM', password: 'password2', name: 'Y' }))).code).to.equal('USER_EMAIL_TAKEN');
    expect((await rejection(users.login({ email: 'x@y.com', password: 'nope' }))).code).to.equal('AUTH_INVALID_CREDENTIALS');
    expect((await rejection(users.login({ email: 'nobody@y.com', password: 'password1' }))).code).to.equal('AUTH_INVALID_CREDENTIALS');
    expect((await users.login({ email: 'x@y.com', password: 'password1' })).user.name).to.equal('X');
  });

  it('changes the password only with the current one, and logout ends the session', async () => {
    const { users } = setup();
    const { user, token } = await users.register({ email: 'x@y.com', password: 'password1', name: 'X' });
    expect((await rejection(users.updateProfile(user.id, { password: 'password2' }))).code).to.equal('PROFILE_CURRENT_PASSWORD_WRONG');
    await users.updateProfile(user.id, { password: 'password2', currentPassword: 'password1' });
    expect((await rejection(users.login({ email: 'x@y.com', password: 'password1' }))).code).to.equal('AUTH_INVALID_CREDENTIALS');
    await users.logout(token);
    expect(await users.userForSession(token)).to.equal(undefined);
  });
});
