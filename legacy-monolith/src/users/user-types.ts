export type Role = 'customer' | 'admin';

export interface User {
  id: number;
  email: string;
  name: string;
  address: string | null;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserRecord extends User {
  passwordHash: string;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  name: string;
  address: string | null;
  role: Role;
  now: Date;
}

export interface UserPatch {
  name?: string;
  address?: string | null;
  email?: string;
  passwordHash?: string;
}
