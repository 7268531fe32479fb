import type { FakeDb } from '../db/fake-db.ts';
import type { UserStore } from './user-store-type.ts';
import { nextId } from '../db/fake-db.ts';
import { appError } from '../errors.ts';

export const createFakeUserStore = (db: FakeDb): UserStore => {
  const taken = (email: string, except?: number) => db.users.some((u) => u.email === email.toLowerCase() && u.id !== except);
  return {
    findById: async (id) => db.users.find((u) => u.id === id),
    findByEmail: async (email) => db.users.find((u) => u.email === email.toLowerCase()),
    async insert(u) {
      if (taken(u.email)) throw appError('USER_EMAIL_TAKEN', 'a user with this email already exists');
      const id = nextId(db, 'users');
      db.users.push({ id, email: u.email.toLowerCase(), passwordHash: u.passwordHash, name: u.name, address: u.address, role: u.role, createdAt: u.now, updatedAt: u.now });
      return id;
    },
    async update(id, patch, now) {
      if (patch.email !== undefined && taken(patch.email, id)) throw appError('USER_EMAIL_TAKEN', 'a user with this email already exists');
      const u = db.users.find((x) => x.id === id);
      if (u) Object.assign(u, { ...patch, ...(patch.email ? { email: patch.email.toLowerCase() } : {}), updatedAt: now });
    },
    async insertSession(s) { db.sessions.push({ ...s }); },
    async findSessionUser(id, now) {
      const s = db.sessions.find((x) => x.id === id && x.expiresAt > now);
      return s && db.users.find((u) => u.id === s.userId);
    },
    async deleteSession(id) { db.sessions = db.sessions.filter((s) => s.id !== id); },
  };
};
