import { z } from 'zod';
import { method } from './define';

// What the app's header shows of sync (spec/server.md, "The app syncs by
// itself"): local reads only, so it is cheap to ask often and answers offline.

export const syncIndicatorSchema = z.object({
  /** False for a business that never connected (or disconnected): the header shows nothing. */
  connected: z.boolean(),
  /** Local changes waiting to be pushed. */
  pending: z.number().int(),
  lastSyncAt: z.string().nullable(),
  /** How the last automatic (or Sync now) attempt ended; idle before the first. */
  state: z.enum(['idle', 'ok', 'offline', 'refused', 'error']),
  /** The service's message for the last failure (unreachable, revoked, suspended), else null. */
  problem: z.string().nullable(),
  /** How far this PC's clock is ahead of the server's, as last measured (negative: behind). */
  skewMs: z.number().nullable(),
  syncing: z.boolean(),
  nextAttemptAt: z.string().nullable(),
  /** Whether this process syncs the business by itself (the app: yes; the CLI: no). */
  auto: z.boolean(),
});
export type SyncIndicator = z.infer<typeof syncIndicatorSchema>;

/** A PC clock this far from the server's is a warning in the header. */
export const SKEW_WARNING_MS = 5 * 60_000;

export const syncAutoContract = {
  'sync.indicator': method({ input: z.object({}).strict(), output: syncIndicatorSchema, access: 'viewer', write: false }),
} as const;
