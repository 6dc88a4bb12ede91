import { z } from 'zod';
import { method } from './define';
import { CONTROL_CHARACTER_MESSAGE, idSchema, isSingleLineText } from '../domain/fields';

// Keys for the server's REST API (spec/server.md "REST API"): made and revoked
// on a PC, synced to the server as a hash. Owners only.

export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeyNameSchema = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'Enter a name' : 'Expected text') })
  .trim()
  .min(1, 'Enter a name')
  .max(80, 'Keep the name to 80 characters')
  .refine(isSingleLineText, CONTROL_CHARACTER_MESSAGE);

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES, { message: 'Scope must be read or write' });

export const apiKeyCreateSchema = z.object({ name: apiKeyNameSchema, scope: apiKeyScopeSchema }).strict();
export type ApiKeyCreate = z.infer<typeof apiKeyCreateSchema>;

/** A key as lists show it: never the key, never its hash. */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: apiKeyScopeSchema,
  /** The first characters after `rk_`, to recognise the key. */
  keyPrefix: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** YYYY-MM-DD, set by the server; null: never used. */
  lastUsedOn: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const apiKeysContract = {
  'apiKeys.list': method({ input: z.object({}).strict(), output: z.array(apiKeySchema), access: 'owner', write: false }),
  /** The key is in this answer and nowhere else, ever: only its SHA-256 is stored. */
  'apiKeys.create': method({
    input: apiKeyCreateSchema,
    output: z.object({ apiKey: apiKeySchema, key: z.string() }),
    access: 'owner',
    write: true,
  }),
  'apiKeys.revoke': method({ input: z.object({ id: idSchema }).strict(), output: apiKeySchema, access: 'owner', write: true }),
} as const;
