import type { Input } from '@shared/contract';
import type { ChangeMode, Plan, Subscription } from '@shared/domain/billing';
import { isIsoDate } from '@shared/domain/dates';
import { sameCadence } from '@shared/domain/periods';

export interface ChangeValues {
  planId: string;
  quantity: number | string;
  on: string;
  mode: ChangeMode;
}

export type ChangeRequest = Input<'subscriptions.previewChange'>;

/** The request the form describes, or why there is none to preview yet. */
export function changeRequest(sub: Subscription, v: ChangeValues): { request: ChangeRequest | null; reason: string | null } {
  const quantity = typeof v.quantity === 'number' ? v.quantity : Number.NaN;
  if (!Number.isInteger(quantity) || quantity < 1) return { request: null, reason: 'Enter a quantity of at least 1.' };
  if (!isIsoDate(v.on)) return { request: null, reason: 'Enter the date the change happens.' };
  if (v.planId === sub.planId && quantity === sub.quantity) return { request: null, reason: 'Choose another plan or quantity to see what the change would cost.' };
  const request: ChangeRequest = { id: sub.id, on: v.on, mode: v.mode, quantity };
  if (v.planId !== sub.planId) request.planId = v.planId;
  return { request, reason: null };
}

/** A move to a plan billed on another interval takes effect at once, whatever the mode (spec 6). */
export function changesInterval(sub: Subscription, plan: Plan | undefined): boolean {
  return plan !== undefined && !sameCadence(sub, plan);
}

export const MODE_LABELS: Record<ChangeMode, string> = {
  prorate: 'Prorate',
  invoice_now: 'Invoice now',
  at_period_end: 'At period end',
};

/** One plain line per mode, with the dates of this subscription. */
export function modeExplanation(mode: ChangeMode, periodEnd: string | null, day: (d: string) => string): string {
  const end = periodEnd ? day(periodEnd) : 'the end of the period';
  switch (mode) {
    case 'prorate':
      return `Credit the unused part of the current price and charge the new one for the rest of the period; both appear on the next invoice (${end}).`;
    case 'invoice_now':
      return 'The same credit and charge, on an invoice issued on the change date and collected at once.';
    case 'at_period_end':
      return `Nothing is prorated: the new plan or quantity applies from ${end}.`;
  }
}
