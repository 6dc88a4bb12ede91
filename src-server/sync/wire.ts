import { z } from 'zod';

// The sync protocol's request bodies (docs/sync-protocol.md). The PC side
// sends exactly these; the server parses every body with them before it
// touches the database, so a malformed batch applies nothing.

export const MAX_PUSH_CHANGES = 1000;
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;
/** A pull stops adding changes once their fields reach this many bytes (at least one change is sent). */
export const MAX_PULL_BYTES = 4 * 1024 * 1024;

const name = (what: string) => z.string().trim().min(1, `${what} is required`).max(200, `${what} is at most 200 characters`);
const code = z.string().trim().min(1, 'a code is required').max(64);

export const connectBody = z.object({
  inviteCode: code,
  businessId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'businessId is 1 to 64 letters, digits, _ or -'),
  businessName: name('businessName'),
  deviceName: name('deviceName'),
});

export const joinBody = z.object({ code, deviceName: name('deviceName') });

export const change = z.object({
  id: z.string().min(1).max(200),
  hlc: z.string().min(1).max(100),
  table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'table is a lower-case SQL name'),
  rowId: z.string().min(1).max(200),
  op: z.enum(['upsert', 'delete']),
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type Change = z.infer<typeof change>;

export const pushBody = z.object({ changes: z.array(change) });

export const pullQuery = z.object({
  after: z.coerce.number().int('after is a whole number').min(0).default(0),
  limit: z.coerce.number().int('limit is a whole number').min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
