import type { Knex } from 'knex';
import type { UserStore } from './user-store-type.ts';
import type { UserRecord } from './user-types.ts';
import { appError } from '../errors.ts';
import { isDuplicateKey } from '@ficus/common';

interface UserRow {
  id: number; email: string; password_hash: string; name: string; address: string | null;
  role: 'customer' | 'admin'; created_at: Date; updated_at: Date;
}

const toRecord = (r: UserRow): UserRecord => ({
  id: r.id, email: r.email, passwordHash: r.password_hash, name: r.name, address: r.address,
  role: r.role, createdAt: r.created_at, updatedAt: r.updated_at,
});

const emailTaken = () => appError('USER_EMAIL_TAKEN', 'a user with this email already exists');

export const createUserStore = (db: Knex | Knex.Transaction): UserStore => ({
  async findById(id) {
    const row = await db<UserRow>('users').where({ id }).first();
    return row && toRecord(row);
  },
  async findByEmail(email) {
    const row = await db<UserRow>('users').where({ email: email.toLowerCase() }).first();
    return row && toRecord(row);
  },
  async insert(u) {
    try {
      const [id] = await db('users').insert({
        email: u.email.toLowerCase(), password_hash: u.passwordHash, name: u.name, address: u.address,
        role: u.role, created_at: u.now, updated_at: u.now,
      });
      return Number(id);
    } catch (e) {
      if (isDuplicateKey(e)) throw emailTaken();
      throw e;
    }
  },
  async update(id, patch, now) {
    const row: Record<string, unknown> = { updated_at: now };
    if (patch.name !== undefined) row.name = patch.name;
    if (patch.address !== undefined) row.address = patch.address;
    if (patch.email !== undefined) row.email = patch.email.toLowerCase();
    if (patch.passwordHash !== undefined) row.password_hash = patch.passwordHash;
    try {
      await db('users').where({ id }).update(row);
    } catch (e) {
      if (isDuplicateKey(e)) throw emailTaken();
      throw e;
    }
  },
  async insertSession(s) {
    await db('sessions').insert({ id: s.id, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt });
  },
  async findSessionUser(sessionId, now) {
    const row = await db<UserRow>('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .where('sessions.id', sessionId)
      .andWhere('sessions.expires_at', '>', now)
      .first('users.*');
    return row && toRecord(row as UserRow);
  },
  async deleteSession(sessionId) {
    await db('sessions').where({ id: sessionId }).delete();
  },
});
