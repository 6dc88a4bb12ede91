import { z } from 'zod';

/** Push events from main to the renderer (the second and last channel). */
export const eventsContract = {
  /** A write committed: the renderer refreshes what it shows of these entities. */
  'data-changed': z.object({ entities: z.array(z.string()) }),
  /** A billing run's progress, for the "Run billing now" indicator. */
  'billing-progress': z.object({ runId: z.string(), asOf: z.string(), processed: z.number().int(), phase: z.enum(['started', 'running', 'finished', 'failed']), message: z.string().nullable() }),
  /** The session ended from the other side (user deactivated, logged out elsewhere). */
  'session-ended': z.object({ reason: z.string() }),
} as const;

export type EventName = keyof typeof eventsContract;
export type EventPayload<E extends EventName> = z.infer<(typeof eventsContract)[E]>;
