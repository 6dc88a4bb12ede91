import { z } from 'zod';
import { method } from './define';

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  userEmail: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditContract = {
  'audit.list': method({
    input: z.object({
      entity: z.string().max(64).optional(),
      entityId: z.string().max(64).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      /** Entries strictly older than this id (ids sort by time). */
      before: z.string().max(64).optional(),
    }),
    output: z.object({ entries: z.array(auditEntrySchema), hasMore: z.boolean() }),
    access: 'owner',
    write: false,
  }),
} as const;
