import { z } from 'zod';
import { customersContract } from '@shared/contract/customers';
import type { Input } from '@shared/contract';
import { isoDateSchema } from '@shared/domain/fields';

/** The contract's rules for a logged activity, with the date optional as typed text ('' = now). */
export const activityFormSchema = customersContract['customers.logActivity'].input
  .omit({ customerId: true, occurredOn: true })
  .extend({ occurredOn: z.union([z.literal(''), isoDateSchema]) });

export interface ActivityFormValues {
  kind: 'note' | 'call' | 'email';
  title: string;
  body: string;
  occurredOn: string;
}

export const EMPTY_ACTIVITY: ActivityFormValues = { kind: 'note', title: '', body: '', occurredOn: '' };

export function toLogActivityInput(customerId: string, values: ActivityFormValues): Input<'customers.logActivity'> {
  const { occurredOn, ...rest } = values;
  return occurredOn ? { customerId, ...rest, occurredOn } : { customerId, ...rest };
}

/**
 * A date picked by hand is stored as midnight UTC of that day; shown in local
 * time it would slip to the day before west of Greenwich, so it is shown as the date alone.
 */
export function isHandPickedDate(kind: string, occurredAt: string): boolean {
  return kind !== 'system' && occurredAt.endsWith('T00:00:00.000Z');
}

/** Today in this PC's time zone, as the date input wants it. */
export function todayIso(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
