import { defineHandlers } from '../define-handlers';
import { searchAnything } from './search-service';

export const searchHandlers = defineHandlers({
  'search.anything': (ctx, input) => searchAnything(ctx.db.sqlite, input.query, input.limit),
});
