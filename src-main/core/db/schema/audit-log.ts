import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Who changed what, when, with the state before and after (JSON). Never updated or deleted. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    userId: text('user_id'),
    /** Kept as text so the row still says who after the user is deleted. */
    userEmail: text('user_email'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_entity').on(t.entity, t.entityId)],
);
