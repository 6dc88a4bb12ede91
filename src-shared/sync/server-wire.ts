import { z } from 'zod';

// The sync protocol v1 between a PC and the server (docs/sync-protocol.md),
// in one place for both sides: the server parses every request with these
// schemas before it touches its database (a malformed batch applies nothing),
// and its answers are typed by the response schemas, which the PC can parse.

export const SYNC_BASE_PATH = '/sync/v1';
/**
 * Changes per push the server accepts (the 4 MB body limit usually comes first: a first upload's
 * rows are 300-600 bytes). Servers before this accepted 1,000; a PC that hears
 * `413 too_many_changes` pushes in batches of LEGACY_MAX_PUSH_CHANGES instead.
 */
export const MAX_PUSH_CHANGES = 10_000;
/** What a server of protocol v1 accepted per push before MAX_PUSH_CHANGES grew: every server takes this many. */
export const LEGACY_MAX_PUSH_CHANGES = 1000;
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;
/** A pull page stops adding changes once their size reaches this many bytes (a page has at least one change). */
export const MAX_PULL_BYTES = 4 * 1024 * 1024;
/**
 * How far ahead of the server's clock a pushed change's HLC may be (docs/sync-protocol.md, "Stamps").
 * A PC stamps with its clock corrected by the server's time, so its stamps are near the server's; 5
 * minutes covers a correction made before a slow answer and the drift of a PC that has been offline
 * for hours. A stamp further ahead would win every later edit by another PC until real time catches up.
 */
export const MAX_STAMP_AHEAD_MS = 5 * 60_000;

/** The milliseconds since the epoch an HLC stamp starts with (its first 13 digits). */
export const stampMs = (hlc: string): number => Number(hlc.slice(0, 13));

const name = (what: string) => z.string().trim().min(1, `${what} is required`).max(200, `${what} is at most 200 characters`);
const code = z.string().trim().min(1, 'a code is required').max(64);

// ---- requests

export const connectRequest = z.object({
  inviteCode: code,
  businessId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'businessId is 1 to 64 letters, digits, _ or -'),
  businessName: name('businessName'),
  deviceName: name('deviceName'),
});

export const joinRequest = z.object({ code, deviceName: name('deviceName') });

export const syncChange = z.object({
  /** Unique per business, chosen by the PC, e.g. `${hlc}-${deviceId}`: the key of idempotency. */
  id: z.string().min(1).max(200),
  /**
   * The HLC stamp; sorts lexicographically. It starts with 13 digits, ms since the epoch, which the
   * server reads only to refuse a stamp more than MAX_STAMP_AHEAD_MS ahead of its clock.
   */
  hlc: z.string().max(100).regex(/^\d{13}/, 'hlc starts with 13 digits (ms since the epoch)'),
  table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'table is a lower-case SQL name'),
  rowId: z.string().min(1).max(200),
  op: z.enum(['upsert', 'delete']),
  /** Column -> JSON value. */
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type SyncChange = z.infer<typeof syncChange>;

export const pushRequest = z.object({
  changes: z.array(syncChange),
  /**
   * A change id the server must already have for this business, else it refuses the push whole (409
   * `push_out_of_order`): a PC with two pushes in flight names the last change of the one before, so
   * the server stores them in the PC's order whichever arrives first.
   */
  after: z.string().min(1).max(200).optional(),
});

export const pullQuery = z.object({
  after: z.coerce.number().int('after is a whole number').min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int('limit is a whole number').min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  /** 1: this device's own changes too (a PC whose file went back to a backup gets back what it had pushed since). */
  own: z.enum(['0', '1']).default('0'),
});

export const statusQuery = z.object({
  /** 1: the answer carries `ownNewest`. */
  own: z.enum(['0', '1']).default('0'),
});

// ---- responses

const deviceRef = z.object({ id: z.string(), name: z.string() });
/** Milliseconds since the epoch on the server's clock, for the PC's HLC. */
const serverTime = z.number().int();

export const enrolledResponse = z.object({
  businessId: z.string(),
  businessName: z.string(),
  deviceId: z.string(),
  /** 256 random bits, base64url; shown once, the server keeps its SHA-256 only. */
  token: z.string(),
  billingDevice: deviceRef.nullable(),
  serverTime,
});
export type EnrolledResponse = z.infer<typeof enrolledResponse>;

export const codeResponse = z.object({ code: z.string(), expiresAt: z.string() });
export type CodeResponse = z.infer<typeof codeResponse>;

export const pushResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  lastSeq: z.number().int(),
  serverTime,
  /** True: this server checks a push's `after` (older servers ignore it, so a PC keeps one push in flight with them). */
  ordered: z.boolean().optional(),
});
export type PushResponse = z.infer<typeof pushResponse>;

export const pulledChange = syncChange.extend({ seq: z.number().int(), deviceId: z.string() });
export type PulledChange = z.infer<typeof pulledChange>;

export const pullResponse = z.object({ changes: z.array(pulledChange), next: z.number().int(), hasMore: z.boolean(), serverTime });
export type PullResponse = z.infer<typeof pullResponse>;

export const statusResponse = z.object({
  businessId: z.string(),
  businessName: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  billingDevice: deviceRef.nullable(),
  suspended: z.boolean(),
  lastSeq: z.number().int(),
  /**
   * Asked with `own=1`: the id of the newest change this device pushed (null:
   * none). A PC whose log lacks it lost changes it had pushed (its file was
   * put back to a backup): it pulls from 0 with `own=1`.
   */
  ownNewest: z.string().nullable().optional(),
  devices: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastSyncAt: z.string().nullable(), revoked: z.boolean() })),
  serverTime,
});
export type StatusResponse = z.infer<typeof statusResponse>;

export const billingTakeResponse = z.object({ billingDevice: deviceRef, previous: deviceRef.nullable() });
export type BillingTakeResponse = z.infer<typeof billingTakeResponse>;

export const disconnectResponse = z.object({ disconnected: z.literal(true) });
export type DisconnectResponse = z.infer<typeof disconnectResponse>;

export const syncErrorResponse = z.object({
  error: z.object({ type: z.string(), code: z.string(), message: z.string(), param: z.string().optional() }),
});
export type SyncErrorResponse = z.infer<typeof syncErrorResponse>;
