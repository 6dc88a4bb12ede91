import { z } from 'zod';
import { method } from './define';

// Connecting this PC to a sync server (spec/server.md, "Connecting PCs"). The
// calls reach the network, so none is a `write` of the dispatcher's kind (one
// synchronous transaction): the core writes each step in its own transaction,
// with its audit row, and nothing locally before the server has said yes.

const serverUrl = z.string({ message: "Enter the sync server's address" }).trim().min(1, "Enter the sync server's address").max(2000);
const code = z.string({ message: 'Enter the code' }).trim().min(1, 'Enter the code').max(64, 'A code is at most 64 characters');
const deviceName = z.string().trim().min(1, 'Name this PC').max(200, 'At most 200 characters').optional();

export const deviceRefSchema = z.object({ id: z.string(), name: z.string() });
export type DeviceRef = z.infer<typeof deviceRefSchema>;

export const syncStatusSchema = z.object({
  server: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  billingDevice: deviceRefSchema.nullable(),
  /** Local changes not yet pushed. */
  pending: z.number().int(),
  lastSyncAt: z.string().nullable(),
  /** Whether the server answered this call (false: the values are what this PC last knew). */
  online: z.boolean(),
  /** The server's message when it refuses this PC (revoked, suspended), else null. */
  problem: z.string().nullable(),
  /** The business's devices, as the server last listed them (empty offline). */
  devices: z.array(z.object({ id: z.string(), name: z.string(), lastSyncAt: z.string().nullable(), revoked: z.boolean() })),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncConflictSchema = z.object({
  entity: z.string(),
  id: z.string(),
  field: z.string(),
  kept: z.unknown(),
  overwritten: z.unknown(),
  at: z.string(),
});
export type SyncConflict = z.infer<typeof syncConflictSchema>;

export const syncContract = {
  /** Owner only: registers this business and this PC (device 1, the billing PC) and uploads everything. */
  'sync.connect': method({
    input: z.object({ server: serverUrl, inviteCode: code, deviceName }),
    output: z.object({ server: z.string(), deviceId: z.string(), pushed: z.number().int() }),
    access: 'owner',
    write: false,
  }),
  /** Owner only: a one-time code (15 min) another PC types to join. */
  'sync.pair': method({
    input: z.object({}).strict(),
    output: z.object({ code: z.string(), expiresAt: z.string() }),
    access: 'owner',
    write: false,
  }),
  /** On a PC without the business: downloads it; its users log in with the passwords they have. */
  'sync.join': method({
    input: z.object({ server: serverUrl, code, deviceName }),
    output: z.object({ business: z.object({ id: z.string(), name: z.string() }), deviceId: z.string(), pulled: z.number().int() }),
    access: 'public',
    write: false,
  }),
  /** Pushes this PC's changes, pulls the others'. */
  'sync.now': method({
    input: z.object({}).strict(),
    output: z.object({ pushed: z.number().int(), pulled: z.number().int(), conflicts: z.number().int(), lastSyncAt: z.string() }),
    access: 'viewer',
    write: false,
  }),
  'sync.status': method({ input: z.object({}).strict(), output: syncStatusSchema, access: 'viewer', write: false }),
  'sync.conflicts': method({ input: z.object({}).strict(), output: z.array(syncConflictSchema), access: 'viewer', write: false }),
  'sync.digest': method({
    input: z.object({}).strict(),
    output: z.object({ tables: z.record(z.string(), z.string()) }),
    access: 'viewer',
    write: false,
  }),
  /** Owner only, online only: makes this PC the billing PC (the server moves it, so two PCs never both hold it). */
  'sync.takeBillingDevice': method({
    input: z.object({}).strict(),
    output: z.object({ billingDevice: deviceRefSchema }),
    access: 'owner',
    write: false,
  }),
  /** Owner only: the server revokes this PC; the data stays here, changes are no longer recorded for sync. */
  'sync.disconnect': method({
    input: z.object({}).strict(),
    output: z.object({ disconnected: z.literal(true) }),
    access: 'owner',
    write: false,
  }),
} as const;
