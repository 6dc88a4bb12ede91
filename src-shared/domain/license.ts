import { z } from 'zod';
import { addDays } from './dates';
import type { SubscriptionStatus } from './kinds';
import { periodStart, type Cadence } from './periods';

// A subscription's license key (spec/server.md "License keys"): its expiry
// follows the subscription. `license_expires_on` is stored on the subscription
// and kept by the same transactions that change its state (the billing run, the
// subscription actions, a payment that settles a failed invoice), so the server
// reads one synced column. The license is valid while today (in the business's
// time zone) is before that date: it "expires on" it, as a period [start, end)
// ends on its end date.

/** What the expiry is worked out from. */
export interface LicenseExpiryState {
  status: SubscriptionStatus;
  anchorDate: string;
  trialEnd: string | null;
  /** The next period to invoice on the anchor grid: periods before it are invoiced. */
  nextPeriodIndex: number;
  canceledAt: string | null;
  cadence: Cadence;
  /** past_due: the issue date of the oldest invoice whose collection is failing. */
  failingSince: string | null;
  /** The business's dunning schedule (days after the issue date of each retry). */
  dunningDays: readonly number[];
  /** What it is now: a paused subscription keeps it (the period paid for runs out). */
  current: string | null;
}

/**
 * - trialing: the end of the trial;
 * - active: the end of the last invoiced period, or of the first one while none is
 *   (a new subscription's license works at once; after a resume, until the next
 *   period starts, when its invoice takes it on);
 * - past_due: through the dunning days: the day the last retry of the failing
 *   invoice falls (when it fails, the subscription is canceled that day);
 * - paused: unchanged (the period paid for runs out);
 * - canceled: the cancellation date.
 */
export function licenseExpiresOn(s: LicenseExpiryState): string | null {
  switch (s.status) {
    case 'trialing':
      return s.trialEnd ?? s.anchorDate;
    case 'active':
      return periodStart(s.anchorDate, s.cadence, Math.max(1, s.nextPeriodIndex));
    case 'past_due':
      return s.failingSince === null
        ? periodStart(s.anchorDate, s.cadence, Math.max(1, s.nextPeriodIndex))
        : addDays(s.failingSince, s.dunningDays.at(-1) ?? 0);
    case 'paused':
      return s.current;
    case 'canceled':
      return s.canceledAt;
  }
}

/** Where a license stands on a day (spec/server.md "License keys": `VALID` or `EXPIRED` to a validation). */
export const LICENSE_STATUSES = ['valid', 'expired'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/**
 * The license is valid while `today` (YYYY-MM-DD, in the business's time zone)
 * is before its expiry: it expires on that day. A key with no expiry is not valid.
 */
export function licenseStatusOn(expiresOn: string | null, today: string): LicenseStatus {
  return expiresOn !== null && today < expiresOn ? 'valid' : 'expired';
}

/** Letters and digits that cannot be misread (no I, O, 0, 1): 32 of them, 5 bits a character. */
export const LICENSE_KEY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Generated keys: five groups of five, like 7KQ2M-9XD4H-FA2B8-CJNPR-TUVWX (125 random bits). */
export const LICENSE_KEY_GROUPS = 5;
export const LICENSE_KEY_GROUP_LENGTH = 5;

/** A key the business gives itself (its own format): letters, digits, dashes, dots and underscores. */
export const licenseKeySchema = z
  .string()
  .trim()
  .min(4, 'A license key has at least 4 characters')
  .max(100, 'Keep the license key to 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dashes, dots and underscores');
