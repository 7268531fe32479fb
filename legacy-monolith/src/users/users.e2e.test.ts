import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import { expectError, expectOk } from '../testing/expect-api.ts';
import { userSchema } from '../contract/user-contract.ts';

describe('users: register, log in and out, profile (e2e)', () => {
  let t: LegacyTestApp;
  before(async () => { t = await startLegacyTestApp('users'); });
  after(async () => { await t?.close(); });

  it('registers a customer, logs them in with a cookie and stores only a scrypt hash', async () => {
    const http = t.client();
    const res = await http.post('/api/auth/register', { email: 'Ann@Example.com', password: 'long enough pw', name: 'Ann', address: '1 Main St' });
    const user = expectOk(res, 201, userSchema);
    expect(user).to.include({ email: 'ann@example.com', name: 'Ann', address: '1 Main St', role: 'customer' });
    expect(res.headers.get('set-cookie')).to.match(/ficus_session=[^;]+;.*HttpOnly/i);
    expect(expectOk(await http.get('/api/me'), 200, userSchema).id).to.equal(user.id);
    const row = await t.knex('users').where({ id: user.id }).first();
    expect(row.password_hash).to.match(/^scrypt\$16384\$8\$1\$/).and.not.include('long enough pw');
  });

  it('keeps names outside the BMP (utf8mb4) intact', async () => {
    const http = t.client();
    const user = expectOk(await http.post('/api/auth/register', { email: 'emoji@example.com', password: 'long enough pw', name: 'Zoë 🌳 李' }), 201, userSchema);
    expect(user.name).to.equal('Zoë 🌳 李');
    expect(expectOk(await http.get('/api/me'), 200, userSchema).name).to.equal('Zoë 🌳 李');
  });

  it('refuses a second account with the same email (any case) with USER_EMAIL_TAKEN', async () => {
    await t.signUp({ email: 'dup@example.com' });
    expectError(await t.client().post('/api/auth/register', { email: 'DUP@example.com', password: 'long enough pw', name: 'X' }), 409, 'USER_EMAIL_TAKEN');
    expect((await t.knex('users').where({ email: 'dup@example.com' })).length).to.equal(1);
  });

  it('rejects invalid registrations field by field with VALIDATION_FAILED', async () => {
    const err = expectError(await t.client().post('/api/auth/register', { email: 'not-an-email', password: 'short', extra: 1 }), 400, 'VALIDATION_FAILED');
    const paths = (err.details?.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).to.include.members(['email', 'password', 'name']);
    expectError(await t.client().post('/api/auth/register'), 400, 'VALIDATION_FAILED');
    expectError(await t.client().request('POST', '/api/auth/register', { rawBody: '{"email":' }), 400, 'BODY_MALFORMED_JSON');
    expectError(await t.client().request('POST', '/api/auth/register', { rawBody: '[1,2]' }), 400, 'VALIDATION_FAILED');
  });

  it('logs in with the right password and refuses a wrong one or an unknown email', async () => {
    const { email, password } = await t.signUp();
    const http = t.client();
    expectError(await http.post('/api/auth/login', { email, password: 'wrong password' }), 401, 'AUTH_INVALID_CREDENTIALS');
    expectError(await http.post('/api/auth/login', { email: 'nobody@example.com', password }), 401, 'AUTH_INVALID_CREDENTIALS');
    expect(http.cookies.size).to.equal(0);
    expectOk(await http.post('/api/auth/login', { email: email.toUpperCase(), password }), 200, userSchema);
    expectOk(await http.get('/api/me'), 200, userSchema);
  });

  it('logs out: the session row is gone and the old cookie no longer works', async () => {
    const { http } = await t.signUp();
    const jar = new Map(http.cookies);
    const before = await t.knex('sessions').count({ n: '*' }).first();
    expect((await http.post('/api/auth/logout')).status).to.equal(204);
    const after = await t.knex('sessions').count({ n: '*' }).first();
    expect(Number(after?.n)).to.equal(Number(before?.n) - 1);
    expectError(await http.get('/api/me'), 401, 'AUTH_REQUIRED');
    const replay = t.client();
    for (const [k, v] of jar) replay.cookies.set(k, v);
    expectError(await replay.get('/api/me'), 401, 'AUTH_REQUIRED');
    expectError(await replay.post('/api/auth/logout'), 401, 'AUTH_REQUIRED');
  });

  it('answers AUTH_REQUIRED without a session or with a forged cookie', async () => {
    expectError(await t.client().get('/api/me'), 401, 'AUTH_REQUIRED');
    expectError(await t.client().patch('/api/me', { name: 'X' }), 401, 'AUTH_REQUIRED');
    const forged = t.client();
    forged.cookies.set('ficus_session', 'forged-token');
    expectError(await forged.get('/api/me'), 401, 'AUTH_REQUIRED');
  });

  it('edits the profile name and address', async () => {
    const { http } = await t.signUp();
    const user = expectOk(await http.patch('/api/me', { name: 'New Name', address: null }), 200, userSchema);
    expect(user).to.include({ name: 'New Name', address: null });
    expect(expectOk(await http.get('/api/me'), 200, userSchema).name).to.equal('New Name');
  });

  it('changes email and password only with the current password', async () => {
    const { http, email, password } = await t.signUp();
    const other = await t.signUp();
    expectError(await http.patch('/api/me', { password: 'brand new password' }), 400, 'PROFILE_CURRENT_PASSWORD_WRONG');
    expectError(await http.patch('/api/me', { email: 'x@example.com', currentPassword: 'nope' }), 400, 'PROFILE_CURRENT_PASSWORD_WRONG');
    expectError(await http.patch('/api/me', { email: other.email, currentPassword: password }), 409, 'USER_EMAIL_TAKEN');
    expectOk(await http.patch('/api/me', { password: 'brand new password', currentPassword: password }), 200, userSchema);
    expectError(await t.client().post('/api/auth/login', { email, password }), 401, 'AUTH_INVALID_CREDENTIALS');
    expectOk(await t.client().post('/api/auth/login', { email, password: 'brand new password' }), 200, userSchema);
  });

  it('rejects an empty or unknown-field profile edit with VALIDATION_FAILED', async () => {
    const { http } = await t.signUp();
    expectError(await http.patch('/api/me', {}), 400, 'VALIDATION_FAILED');
    expectError(await http.patch('/api/me', { role: 'admin' }), 400, 'VALIDATION_FAILED');
    expect(expectOk(await http.get('/api/me'), 200, userSchema).role).to.equal('customer');
  });
});
