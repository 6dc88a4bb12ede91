import { defineHandlers } from '../define-handlers';
import { listAudit } from './audit';

export const auditHandlers = defineHandlers({
  'audit.list': (ctx, input) => listAudit(ctx.db.orm, input),
});
