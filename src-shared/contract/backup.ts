import { z } from 'zod';
import { method } from './define';
import { businessSummarySchema } from './business';

export const backupContract = {
  /** The whole business as one file (SQLite's online backup: safe while the app runs). Owner only: it holds everything. */
  'backup.create': method({
    /** The file is encrypted with this passphrase (restore asks for it); at least 8 characters. */
    input: z.object({ passphrase: z.string().min(8, 'Choose a backup passphrase of at least 8 characters').max(1000) }),
    output: z.object({ path: z.string().nullable(), downloadUrl: z.string().nullable(), bytes: z.number().int() }),
    access: 'owner',
    write: false,
  }),
  /** Everything as a zip of CSV files for the accountant (customers, subscriptions, invoices, payments, monthly figures). */
  'backup.exportAccounts': method({
    input: z.object({ bom: z.boolean().default(true) }),
    output: z.object({
      path: z.string().nullable(),
      downloadUrl: z.string().nullable(),
      files: z.array(z.object({ name: z.string(), rows: z.number().int() })),
    }),
    access: 'viewer',
    write: false,
  }),
  /**
   * A new business on this PC from a backup file the user picks (open dialog,
   * upload, --file). Its people log in with their own passwords from the backup.
   * Only an owner of the business in the backup may restore it: a logged-in
   * owner of that business, or anyone who gives the email and password of an
   * owner inside the file (a new PC, the business picker).
   */
  'backup.restore': method({
    input: z.object({
      email: z.string().trim().max(320).optional(),
      password: z.string().max(1000).optional(),
      /** The passphrase the backup was made with (a backup from before encryption has none). */
      passphrase: z.string().max(1000).optional(),
    }),
    output: z.object({ business: businessSummarySchema.nullable() }),
    access: 'public',
    write: true,
  }),
} as const;
