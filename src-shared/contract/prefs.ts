import { z } from 'zod';
import { method } from './define';

export const THEMES = ['auto', 'light', 'dark'] as const;

/** Preferences of this PC (not of a business): kept by electron-store in the app. */
/**
 * Where this PC looks for new versions (a folder of electron-builder's update
 * files on any HTTPS server, the sync server's included); empty: updates off.
 * HTTPS only: an update is code this PC will run.
 */
export const updateUrlSchema = z.union([
  z.literal(''),
  z
    .string()
    .max(2000, 'The update address is at most 2000 characters')
    .url('The update address must be a web address')
    .refine((url) => url.startsWith('https://'), 'The update address must start with https://'),
]);

export const prefsSchema = z.object({
  theme: z.enum(THEMES, { message: 'Theme must be auto, light or dark' }),
  /** A business id (a UUID): bounded, as prefs.set is callable before login. */
  lastBusinessId: z
    .string()
    .max(64, 'A business id is at most 64 characters')
    .regex(/^[A-Za-z0-9-]+$/, 'A business id has letters, digits and dashes only')
    .nullable(),
  updateUrl: updateUrlSchema,
});
export type Prefs = z.infer<typeof prefsSchema>;

export const DEFAULT_PREFS: Prefs = { theme: 'auto', lastBusinessId: null, updateUrl: '' };

export const prefsContract = {
  'prefs.get': method({ input: z.object({}).strict(), output: prefsSchema, access: 'public', write: false }),
  // Public (the theme is set before login): everything but the update address.
  'prefs.set': method({ input: prefsSchema.omit({ updateUrl: true }).partial().strict(), output: prefsSchema, access: 'public', write: false }),
  // The update address decides what code this PC installs: an owner sets it, and the business's audit log says so.
  'prefs.setUpdateUrl': method({ input: z.object({ updateUrl: updateUrlSchema }).strict(), output: prefsSchema, access: 'owner', write: true }),
} as const;
