import { randomBytes } from 'node:crypto';
import type { LicenseMachine, SubscriptionLicense } from '@shared/contract/billing';
import { licenseExpiresOn, licenseStatusOn } from '@shared/domain/license';
import { LICENSE_KEY_RANDOM_BYTES, licenseKeyFromBytes } from '@shared/domain/subscription-create';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict } from '../errors';
import { billingSettings, cadenceOf, loadPlan } from './catalog-repo';
import type { SubscriptionRow } from './rows';
import { getSubscriptionRow } from './subscription-dto';

// License keys of subscriptions (spec/server.md "License keys"): issuing one,
// and keeping its expiry with the subscription's state (src-shared/domain/license.ts).

/** XXXXX-XXXXX-XXXXX-XXXXX-XXXXX from crypto.randomBytes (the server generates its keys with the same function). */
export function generateLicenseKey(): string {
  return licenseKeyFromBytes(randomBytes(LICENSE_KEY_RANDOM_BYTES));
}

function keyTaken(db: BusinessDb, key: string): boolean {
  return stmt(db.sqlite, 'SELECT 1 FROM subscriptions WHERE license_key = ?').get(key) !== undefined;
}

/** The key a new subscription gets: the one given (refused when another subscription has it), or a new one. */
export function licenseKeyFor(db: BusinessDb, given: string | undefined, generate: boolean): string | null {
  if (given !== undefined) {
    if (keyTaken(db, given)) throw conflict(`Another subscription already has the license key ${given}`, 'licenseKey');
    return given;
  }
  if (!generate) return null;
  let key = generateLicenseKey();
  while (keyTaken(db, key)) key = generateLicenseKey(); // 125 random bits: never, in practice
  return key;
}

/**
 * Sets a licensed subscription's expiry from its state as stored, inside the
 * caller's transaction; for the subscription actions (create, change, cancel,
 * pause, resume, reactivate, a payment by hand). The billing run works it out
 * from the state it keeps in memory instead (engine.ts), with the same rule.
 */
export function refreshLicenseExpiry(db: BusinessDb, subscriptionId: string): void {
  const sub = getSubscriptionRow(db, subscriptionId);
  if (sub.license_key === null) return;
  const failingSince =
    sub.status === 'past_due'
      ? (stmt(
          db.sqlite,
          "SELECT min(issue_date) FROM invoices WHERE subscription_id = ? AND status = 'open' AND attempt_count > 0 AND amount_due > 0",
        )
          .pluck()
          .get(sub.id) as string | null)
      : null;
  const expires = licenseExpiresOn({
    status: sub.status,
    anchorDate: sub.anchor_date,
    trialEnd: sub.trial_end,
    nextPeriodIndex: sub.next_period_index,
    canceledAt: sub.canceled_at,
    cadence: cadenceOf(loadPlan(db, sub.plan_id)),
    failingSince,
    dunningDays: billingSettings(db).dunningDays,
    current: sub.license_expires_on,
  });
  if (expires !== sub.license_expires_on) stmt(db.sqlite, 'UPDATE subscriptions SET license_expires_on = ? WHERE id = ?').run(expires, sub.id);
}

/**
 * A licensed subscription's license as the subscription page and `subscription
 * show` present it: the key, where it stands on `today` (the business's date),
 * the last validation and the machines, from the rows the server wrote and
 * this PC pulled (license_machines, subscriptions.license_validated_on).
 * Null for a subscription without a key.
 */
export function readSubscriptionLicense(db: BusinessDb, sub: SubscriptionRow, today: string): SubscriptionLicense | null {
  if (sub.license_key === null) return null;
  const machines = stmt(
    db.sqlite,
    `SELECT id, name, fingerprint, activated_at AS activatedAt, deactivated_at AS deactivatedAt, last_seen_on AS lastSeenOn
       FROM license_machines WHERE subscription_id = ?
      ORDER BY deactivated_at IS NOT NULL, CASE WHEN deactivated_at IS NULL THEN activated_at END, deactivated_at DESC, id`,
  ).all(sub.id) as LicenseMachine[];
  return {
    key: sub.license_key,
    status: licenseStatusOn(sub.license_expires_on, today),
    expiresOn: sub.license_expires_on,
    validatedOn: sub.license_validated_on,
    maxMachines: loadPlan(db, sub.plan_id).max_machines,
    activeMachines: machines.filter((m) => m.deactivatedAt === null).length,
    machines,
  };
}
