import type { Stores, UnitOfWork } from '../db/stores.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { User, UserPatch, UserRecord } from './user-types.ts';
import { appError } from '../errors.ts';
import { newSessionToken, sessionIdOf } from './session-token.ts';

export interface UserServiceDeps {
  stores: Stores;
  uow: UnitOfWork;
  hasher: PasswordHasher;
  clock: () => Date;
  sessionTtlHours: number;
}

export interface ProfileChange {
  name?: string | undefined;
  address?: string | null | undefined;
  email?: string | undefined;
  password?: string | undefined;
  currentPassword?: string | undefined;
}

const publicUser = ({ passwordHash: _hidden, ...user }: UserRecord): User => user;

export const createUserService = ({ stores, uow, hasher, clock, sessionTtlHours }: UserServiceDeps) => {
  const startSession = async (s: Stores, userId: number) => {
    const token = newSessionToken();
    const now = clock();
    await s.users.insertSession({ id: sessionIdOf(token), userId, createdAt: now, expiresAt: new Date(now.getTime() + sessionTtlHours * 3_600_000) });
    return token;
  };
  const mustFind = async (s: Stores, id: number) => {
    const u = await s.users.findById(id);
    if (!u) throw appError('AUTH_REQUIRED', 'the session user no longer exists');
    return u;
  };

  return {
    /** Creates a customer and logs them in. */
    async register(input: { email: string; password: string; name: string; address?: string | null | undefined }) {
      const passwordHash = await hasher.hash(input.password);
      return uow.run(async (s) => {
        if (await s.users.findByEmail(input.email)) throw appError('USER_EMAIL_TAKEN', 'a user with this email already exists');
        const id = await s.users.insert({ email: input.email, passwordHash, name: input.name, address: input.address ?? null, role: 'customer', now: clock() });
        const token = await startSession(s, id);
        return { user: publicUser(await mustFind(s, id)), token };
      });
    },

    async login(input: { email: string; password: string }) {
      const user = await stores.users.findByEmail(input.email);
      if (!user || !(await hasher.verify(input.password, user.passwordHash))) {
        throw appError('AUTH_INVALID_CREDENTIALS', 'unknown email or wrong password');
      }
      return { user: publicUser(user), token: await startSession(stores, user.id) };
    },

    async logout(token: string): Promise<void> {
      await stores.users.deleteSession(sessionIdOf(token));
    },

    async userForSession(token: string): Promise<User | undefined> {
      const user = await stores.users.findSessionUser(sessionIdOf(token), clock());
      return user && publicUser(user);
    },

    async profile(userId: number): Promise<User> {
      return publicUser(await mustFind(stores, userId));
    },

    async updateProfile(userId: number, change: ProfileChange): Promise<User> {
      const current = await mustFind(stores, userId);
      const patch: UserPatch = {};
      if (change.name !== undefined) patch.name = change.name;
      if (change.address !== undefined) patch.address = change.address;
      if (change.email !== undefined || change.password !== undefined) {
        // Changing how one logs in needs proof of the current password.
        if (change.currentPassword === undefined || !(await hasher.verify(change.currentPassword, current.passwordHash))) {
          throw appError('PROFILE_CURRENT_PASSWORD_WRONG', 'changing email or password needs the correct currentPassword');
        }
      }
      if (change.email !== undefined && change.email.toLowerCase() !== current.email) {
        if (await stores.users.findByEmail(change.email)) throw appError('USER_EMAIL_TAKEN', 'a user with this email already exists');
        patch.email = change.email;
      }
      if (change.password !== undefined) patch.passwordHash = await hasher.hash(change.password);
      await stores.users.update(userId, patch, clock());
      return publicUser(await mustFind(stores, userId));
    },
  };
};

export type UserService = ReturnType<typeof createUserService>;
