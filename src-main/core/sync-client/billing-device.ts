import type { BusinessDb } from '../db/open';
import { conflict } from '../errors';
import { readSyncState } from '../sync';

/**
 * Why this PC may not run billing, or null when it may (spec/server.md,
 * guarantee 4): a business that syncs bills on exactly one PC, the billing
 * device, which only the server moves (`sync billing-device --take`). A
 * business that does not sync bills here as it always did.
 */
export function billingRefusal(db: BusinessDb): string | null {
  const state = readSyncState(db);
  if (!state.server || !state.deviceId) return null;
  const here = state.deviceName ? `"${state.deviceName}"` : `device ${state.deviceId}`;
  if (!state.billingDevice) {
    return `No PC is the billing PC of this business (the last one disconnected), so billing does not run on ${here}. The owner makes this PC the billing PC with \`recurra sync billing-device --take\` (online).`;
  }
  if (state.billingDevice.id === state.deviceId) return null;
  return (
    `Billing runs on the billing PC, "${state.billingDevice.name}" (device ${state.billingDevice.id}), not on ${here}, so no period is invoiced twice. ` +
    'Run it there, or make this PC the billing PC with `recurra sync billing-device --take` (owner, online).'
  );
}

/** Throws the refusal as a conflict (exit 1 on the command line). */
export function assertBillingDevice(db: BusinessDb): void {
  const refusal = billingRefusal(db);
  if (refusal) throw conflict(refusal);
}
