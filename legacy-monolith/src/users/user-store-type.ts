import type { NewUser, UserPatch, UserRecord } from './user-types.ts';

/** What the users feature needs from storage: users and their sessions. */
export interface UserStore {
  findById(id: number): Promise<UserRecord | undefined>;
  /** Emails are compared case-insensitively (they are stored lower-cased). */
  findByEmail(email: string): Promise<UserRecord | undefined>;
  /** Throws USER_EMAIL_TAKEN when the email exists. */
  insert(user: NewUser): Promise<number>;
  /** Throws USER_EMAIL_TAKEN when the new email exists. */
  update(id: number, patch: UserPatch, now: Date): Promise<void>;
  insertSession(session: { id: string; userId: number; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The user of an unexpired session. */
  findSessionUser(sessionId: string, now: Date): Promise<UserRecord | undefined>;
  deleteSession(sessionId: string): Promise<void>;
}
