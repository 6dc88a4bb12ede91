import { z } from 'zod';
import { customerViewSchema, MAX_CUSTOMER_VIEWS, type CustomerView } from '@shared/contract/customer-views';
import type { BusinessDb } from '../db/open';
import { readSetting, writeSetting } from '../db/settings';
import { defineHandlers } from '../define-handlers';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';

/** The views live in the settings table, as one JSON list: a handful of rows that are always read whole. */
const KEY = 'customers.views';

export function readViews(db: BusinessDb): CustomerView[] {
  // A view saved by another version that no longer parses is left out, not an error for the whole list.
  const parsed = z.array(z.unknown()).safeParse(readSetting(db, KEY) ?? []);
  if (!parsed.success) return [];
  return parsed.data.flatMap((v) => {
    const view = customerViewSchema.safeParse(v);
    return view.success ? [view.data] : [];
  });
}

const byName = (a: CustomerView, b: CustomerView) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;

export const customerViewsHandlers = defineHandlers({
  'customerViews.list': (ctx) => ({ views: readViews(ctx.db).sort(byName) }),

  'customerViews.save': (ctx, input) => {
    const views = readViews(ctx.db);
    const taken = views.find((v) => sameName(v.name, input.name));
    if (taken && !input.replace) throw conflict(`A view named “${taken.name}” already exists`, 'name');
    if (!taken && views.length >= MAX_CUSTOMER_VIEWS) throw validation('name', `A business keeps at most ${MAX_CUSTOMER_VIEWS} views: delete one first`);
    const at = ctx.now.toISOString();
    const view: CustomerView = {
      id: taken?.id ?? newId(),
      name: input.name,
      filter: input.filter,
      sort: input.sort,
      direction: input.direction,
      createdBy: ctx.user.name,
      createdAt: at,
    };
    writeSetting(ctx.db, KEY, [...views.filter((v) => v !== taken), view], at);
    ctx.audit({ action: taken ? 'customerViews.replace' : 'customerViews.save', entity: 'customer_view', entityId: view.id, before: taken ?? null, after: view });
    ctx.changed('customerViews');
    return view;
  },

  'customerViews.delete': (ctx, { id }) => {
    const views = readViews(ctx.db);
    const view = views.find((v) => v.id === id);
    if (!view) throw notFound('The view', 'id');
    writeSetting(ctx.db, KEY, views.filter((v) => v !== view), ctx.now.toISOString());
    ctx.audit({ action: 'customerViews.delete', entity: 'customer_view', entityId: id, before: view });
    ctx.changed('customerViews');
    return { ok: true as const };
  },
});
