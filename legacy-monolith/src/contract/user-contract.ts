import { z } from 'zod';
import { timestampSchema, idSchema } from './common-schemas.ts';

const email = z.email().max(255);
const password = z.string().min(8).max(200);
const name = z.string().trim().min(1).max(100);
const address = z.string().trim().max(500).nullable();

export const registerBody = z.strictObject({ email, password, name, address: address.optional() });
export const loginBody = z.strictObject({ email: z.string().min(1).max(255), password: z.string().min(1).max(200) });
export const profilePatchBody = z.strictObject({
  name: name.optional(),
  address: address.optional(),
  email: email.optional(),
  password: password.optional(),
  currentPassword: z.string().min(1).max(200).optional().describe('required when email or password changes'),
}).refine((b) => Object.keys(b).some((k) => k !== 'currentPassword'), { message: 'give at least one field to change' });

export const userSchema = z.strictObject({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  role: z.enum(['customer', 'admin']),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
