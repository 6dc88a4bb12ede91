import { defineHandlers } from '../define-handlers';

// The header's sync indicator: what this PC knows, no network.
export const syncAutoHandlers = defineHandlers({
  'sync.indicator': (ctx) => ctx.services.autoSync.indicator(),
});
