import { DEFAULT_PREFS, prefsSchema, type Prefs } from '@shared/contract/prefs';
import { defineHandlers } from '../define-handlers';
import type { PreferencesStore } from '../ports';

export function readPrefs(store: PreferencesStore): Prefs {
  const parsed = prefsSchema.safeParse({
    theme: store.get('theme') ?? DEFAULT_PREFS.theme,
    lastBusinessId: store.get('lastBusinessId') ?? DEFAULT_PREFS.lastBusinessId,
    updateUrl: store.get('updateUrl') ?? DEFAULT_PREFS.updateUrl,
  });
  return parsed.success ? parsed.data : DEFAULT_PREFS;
}

export const prefsHandlers = defineHandlers({
  'prefs.get': ({ core }) => readPrefs(core.prefs),
  'prefs.set': ({ core }, input) => {
    for (const [key, value] of Object.entries(input)) if (value !== undefined) core.prefs.set(key, value);
    return readPrefs(core.prefs);
  },
  'prefs.setUpdateUrl': (ctx, input) => {
    const prefs = ctx.services.prefs;
    ctx.audit({ action: 'prefs.setUpdateUrl', entity: 'business', entityId: ctx.db.businessId, before: { updateUrl: readPrefs(prefs).updateUrl }, after: { updateUrl: input.updateUrl } });
    prefs.set('updateUrl', input.updateUrl);
    return readPrefs(prefs);
  },
});
