import type { AuditEntry } from '@shared/contract/audit';

// The audit log speaks the owner's language: "Added a user", not "users.create".

const ACTIONS: Record<string, string> = {
  'business.create': 'Created the business',
  'business.update': 'Changed business settings',
  'prefs.setUpdateUrl': 'Changed the update address',
  'users.create': 'Added a user',
  'users.update': 'Changed a user',
  'users.resetPassword': 'Reset a password',
  'users.deactivate': 'Deactivated a user',
  'users.reactivate': 'Reactivated a user',
  'users.delete': 'Deleted a user',
  'auth.login': 'Logged in',
  'auth.loginFailed': 'Failed to log in',
  'auth.locked': 'Locked out after failed logins',
  'auth.changePassword': 'Changed their password',
  'auth.recover': 'Set a forgotten password with the recovery key',
  'auth.recoverFailed': 'Tried a wrong recovery key',
  'auth.newRecoveryKey': 'Made a new recovery key',
  'business.keyRestored': 'Key restored: the recovery key unlocked the books on this PC',
  'business.unlockFailed': 'Tried a wrong recovery key to unlock the books on this PC',
  'business.recoverySetUp': 'Recovery set up: the recovery key can now unlock the encrypted books on this PC',
  'customerViews.save': 'Saved a customer view',
  'customerViews.replace': 'Replaced a customer view',
  'customerViews.delete': 'Deleted a customer view',
};

/** A known action's phrase; otherwise "subscriptions.changePlan" -> "Subscriptions: change plan". */
export function describeAction(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const [module = action, verb = ''] = action.split('.');
  const spaced = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return verb ? `${capitalize(spaced(module))}: ${spaced(verb)}` : capitalize(spaced(module));
}

/** "User · Sam Taylor": the kind of record and, when the snapshot has one, its name. */
export function describeEntity(entry: Pick<AuditEntry, 'entity' | 'before' | 'after'>): string {
  const kind = capitalize(entry.entity.replace(/[_-]/g, ' '));
  const name = nameOf(entry.after) ?? nameOf(entry.before);
  return name ? `${kind} · ${name}` : kind;
}

function nameOf(snapshot: unknown): string | undefined {
  if (!snapshot || typeof snapshot !== 'object') return undefined;
  const record = snapshot as Record<string, unknown>;
  for (const key of ['name', 'number', 'email', 'code']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const HIDDEN_KEYS = new Set(['updatedAt', 'emailNormalized']);

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** The fields that differ between the before and after snapshots, as text. */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !HIDDEN_KEYS.has(k));
  return keys
    .map((field) => ({ field, before: show(b[field]), after: show(a[field]) }))
    .filter((change) => change.before !== change.after);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
