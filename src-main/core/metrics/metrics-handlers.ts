import { defineHandlers } from '../define-handlers';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { dashboard, maintainedSummary } from './dashboard';
import { customerMovements, monthBounds } from './metrics-service';
import { loadSegments } from './segments';

export const metricsHandlers = defineHandlers({
  'metrics.summary': (ctx, input) => maintainedSummary(ctx.db, input.asOf),
  'metrics.dashboard': (ctx, input) => {
    return dashboard(ctx.db, input.asOf, businessTimezone(ctx.db));
  },
  'metrics.movements': (ctx, input) => {
    const bounds = monthBounds(input.month, input.asOf);
    const names = stmt(ctx.db.sqlite, 'SELECT name FROM customers WHERE id = ?').pluck();
    const rows = customerMovements(loadSegments(ctx.db), bounds)
      .filter((m) => !input.kind || m.kind === input.kind)
      .map((m) => ({ ...m, customerName: (names.get(m.customerId) as string | undefined) ?? '(deleted)' }))
      .sort((a, b) => b.amount - a.amount);
    return { rows };
  },
});
