import { defineHandlers } from '../define-handlers';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys-service';

export const apiKeysHandlers = defineHandlers({
  'apiKeys.list': (ctx) => listApiKeys(ctx.db),

  'apiKeys.create': (ctx, input) => {
    const made = createApiKey(ctx.db, input, ctx.user.id, ctx.now.toISOString());
    // The audit row holds what lists show: neither the key nor its hash.
    ctx.audit({ action: 'apiKeys.create', entity: 'api_key', entityId: made.apiKey.id, after: made.apiKey });
    ctx.changed('apiKeys');
    return made;
  },

  'apiKeys.revoke': (ctx, input) => {
    const { before, after } = revokeApiKey(ctx.db, input.id, ctx.now.toISOString());
    ctx.audit({ action: 'apiKeys.revoke', entity: 'api_key', entityId: after.id, before, after });
    ctx.changed('apiKeys');
    return after;
  },
});
