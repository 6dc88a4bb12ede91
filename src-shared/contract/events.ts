import { z } from 'zod';

/** Push events from main to the renderer (the second and last channel). */
export const eventsContract = {
  /** A write committed: the renderer refreshes what it shows of these entities. */
  'data-changed': z.object({ entities: z.array(z.string()) }),
  /** A billing run's progress, for the "Run billing now" indicator. */
  'billing-progress': z.object({ runId: z.string(), asOf: z.string(), processed: z.number().int(), phase: z.enum(['started', 'running', 'finished', 'failed']), message: z.string().nullable() }),
  /**
   * A big upload's progress (a first connect, or a sync with more than one push of changes waiting):
   * `preparing` while the PC records its first snapshot, `uploading` after each push the server took,
   * then `finished` or `failed` (what was pushed stays on the server; the rest goes with the next sync).
   */
  'sync-progress': z.object({
    phase: z.enum(['preparing', 'uploading', 'finished', 'failed']),
    /** Log rows (changes) the server has taken so far in this upload, and how many it has in all. */
    uploaded: z.number().int(),
    total: z.number().int(),
    /** A rough estimate from the pace so far; null until one push is done. */
    secondsLeft: z.number().int().nullable(),
    message: z.string().nullable(),
  }),
  /** The session ended from the other side (user deactivated, logged out elsewhere). */
  'session-ended': z.object({ reason: z.string() }),
} as const;

export type EventName = keyof typeof eventsContract;
export type EventPayload<E extends EventName> = z.infer<(typeof eventsContract)[E]>;
