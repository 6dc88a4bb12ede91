import { z } from 'zod';
import { method } from './define';

export const THEMES = ['auto', 'light', 'dark'] as const;

/** Preferences of this PC (not of a business): kept by electron-store in the app. */
export const prefsSchema = z.object({
  theme: z.enum(THEMES),
  lastBusinessId: z.string().nullable(),
});
export type Prefs = z.infer<typeof prefsSchema>;

export const DEFAULT_PREFS: Prefs = { theme: 'auto', lastBusinessId: null };

export const prefsContract = {
  'prefs.get': method({ input: z.object({}).strict(), output: prefsSchema, access: 'public', write: false }),
  'prefs.set': method({ input: prefsSchema.partial().strict(), output: prefsSchema, access: 'public', write: false }),
} as const;
