import type { SubscriptionLicense } from '@shared/contract/billing';

/** "2 of 3", "0 of 3", "2 (no limit on this plan)", with "1 deactivated" when some were. */
export function machinesSummary(l: Pick<SubscriptionLicense, 'activeMachines' | 'maxMachines' | 'machines'>): string {
  const count = l.maxMachines === null ? `${l.activeMachines} (no limit on this plan)` : `${l.activeMachines} of ${l.maxMachines}`;
  const deactivated = l.machines.length - l.activeMachines;
  return deactivated > 0 ? `${count}, ${deactivated} deactivated` : count;
}

/** A long fingerprint (usually a hash) shortened to its ends: "3f9a1c…e04b". Short ones are left whole. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length <= 16 ? fingerprint : `${fingerprint.slice(0, 8)}…${fingerprint.slice(-4)}`;
}
