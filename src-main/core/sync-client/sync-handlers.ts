import { defineHandlers } from '../define-handlers';

// The sync methods reach the network, so they are not dispatcher writes: the
// sync client writes each step in its own transaction, with its audit row.
export const syncHandlers = defineHandlers({
  'sync.connect': (ctx, input) => ctx.services.sync.connect(input),
  'sync.pair': (ctx) => ctx.services.sync.pair(),
  'sync.join': ({ core }, input) => core.sync.join(input),
  'sync.now': (ctx) => ctx.services.sync.now(),
  'sync.status': (ctx) => ctx.services.sync.status(),
  'sync.conflicts': (ctx) => ctx.services.sync.conflicts(),
  'sync.digest': (ctx) => ctx.services.sync.digest(),
  'sync.takeBillingDevice': (ctx) => ctx.services.sync.takeBillingDevice(),
  'sync.disconnect': (ctx) => ctx.services.sync.disconnect(),
});
