import { defineHandlers } from '../define-handlers';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { dashboard } from './dashboard';
import { customerMovements, metricsAsOf, monthBounds } from './metrics-service';
import { loadSegments } from './segments';

export const metricsHandlers = defineHandlers({
  'metrics.summary': (ctx, input) => metricsAsOf(ctx.db, input.asOf),
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
