import type { ChangePreview, PaymentListRow, SubscriptionLicense } from '@shared/contract/billing';
import type { Coupon, Invoice, InvoiceLine, Payment, Plan, Subscription } from '@shared/domain/billing';
import { addDays } from '@shared/domain/dates';
import type { Interval } from '@shared/domain/periods';
import { formatFields, formatTable, moneyText } from './output';

// Billing records for people: money formatted, periods as the days they cover.
// The JSON documents keep the contract's values (minor units, half-open periods).

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** "month", "2 weeks". */
export function cadenceText(interval: Interval, count: number): string {
  return count === 1 ? interval : `${count} ${interval}s`;
}

/** "$29.00 per month", "$10.00 every 2 weeks". */
export function perPeriod(amount: string, interval: Interval, count: number): string {
  return count === 1 ? `${amount} per ${interval}` : `${amount} every ${cadenceText(interval, count)}`;
}

/** Periods are half-open [start, end); people read the days they cover: "2026-03-01 to 2026-03-31". */
export function periodText(start: string | null, end: string | null): string {
  if (!start || !end) return '';
  return `${start} to ${addDays(end, -1)}`;
}

/** "1-10 at $5.00, 11+ at $4.00". */
export function tiersText(plan: Pick<Plan, 'tiers' | 'currency'>): string {
  let from = 1;
  return plan.tiers
    .map((tier) => {
      const range = tier.upTo === null ? `${from}+` : `${from}-${tier.upTo}`;
      from = (tier.upTo ?? 0) + 1;
      const flat = tier.flatAmount ? ` + ${moneyText(tier.flatAmount, plan.currency)}` : '';
      return `${range} at ${moneyText(tier.unitAmount, plan.currency)}${flat}`;
    })
    .join(', ');
}

/** What the plan costs per period: "$29.00 per month" or "graduated tiers per month". */
export function planPriceText(plan: Plan): string {
  if (plan.pricingModel === 'flat') return perPeriod(moneyText(plan.price, plan.currency), plan.interval, plan.intervalCount);
  return perPeriod(`${plan.pricingModel} tiers`, plan.interval, plan.intervalCount);
}

export function describePlan(plan: Plan): string {
  const optional: [string, string][] = [
    ['Tiers', plan.pricingModel === 'flat' ? '' : tiersText(plan)],
    ['Trial', plan.trialDays ? plural(plan.trialDays, 'day') : ''],
    ['Setup fee', plan.setupFee ? moneyText(plan.setupFee, plan.currency) : ''],
    ['Description', plan.description],
    ['Features', plan.features.join(', ')],
    ['Machines per license', plan.maxMachines === null ? '' : String(plan.maxMachines)],
  ];
  return formatFields([
    ['Plan id', plan.id],
    ['Code', plan.code],
    ['Price', planPriceText(plan)],
    ...optional.filter(([, value]) => value !== ''),
    ['Subscriptions', `${plan.activeSubscriptions} active, ${plan.subscriptionCount} in all`],
    ['Archived', plan.archived ? 'yes' : 'no'],
  ]);
}

export function planTable(plans: readonly Plan[]): string {
  return formatTable(plans, [
    { header: 'ID', value: (p) => p.id },
    { header: 'CODE', value: (p) => p.code },
    { header: 'NAME', value: (p) => p.name },
    { header: 'PRICE', value: (p) => planPriceText(p) },
    { header: 'TRIAL', value: (p) => (p.trialDays ? plural(p.trialDays, 'day') : '') },
    { header: 'ACTIVE', value: (p) => String(p.activeSubscriptions), align: 'right' },
    { header: 'ARCHIVED', value: (p) => (p.archived ? 'yes' : '') },
  ]);
}

/** "20% off" or "$5.00 off", "forever" / "once" / "for 3 months". */
export function couponTerms(c: Coupon): string {
  const off = c.percentOff !== null ? `${c.percentOff}% off` : `${moneyText(c.amountOff ?? 0, c.currency)} off`;
  const duration = c.duration === 'repeating' ? `for ${plural(c.durationMonths ?? 0, 'month')}` : c.duration === 'once' ? 'on one invoice' : 'forever';
  return `${off} ${duration}`;
}

export function describeCoupon(c: Coupon): string {
  return formatFields([
    ['Coupon id', c.id],
    ['Code', c.code],
    ...(c.name ? [['Name', c.name] as [string, string]] : []),
    ['Discount', couponTerms(c)],
    ['Expires', c.expiresOn ?? 'never'],
    ['Redeemed', `${c.timesRedeemed}${c.maxRedemptions === null ? '' : ` of at most ${c.maxRedemptions}`}`],
  ]);
}

export function couponTable(coupons: readonly Coupon[]): string {
  return formatTable(coupons, [
    { header: 'ID', value: (c) => c.id },
    { header: 'CODE', value: (c) => c.code },
    { header: 'DISCOUNT', value: couponTerms },
    { header: 'EXPIRES', value: (c) => c.expiresOn ?? '' },
    { header: 'REDEEMED', value: (c) => `${c.timesRedeemed}${c.maxRedemptions === null ? '' : `/${c.maxRedemptions}`}`, align: 'right' },
    { header: 'ARCHIVED', value: (c) => (c.archived ? 'yes' : '') },
  ]);
}

/** "$29.00 per month" at the subscription's plan and quantity. */
export function subscriptionAmountText(s: Subscription): string {
  return perPeriod(moneyText(s.recurringAmount, s.currency), s.interval, s.intervalCount);
}

/** `withLicense: false` leaves the key and its expiry out, for a caller that prints the license block (licenseText). */
export function describeSubscription(s: Subscription, { withLicense = true }: { withLicense?: boolean } = {}): string {
  const optional: [string, string][] = [
    ['Trial', s.trialEnd ? periodText(s.startDate, s.trialEnd) : ''],
    ['Current period', periodText(s.currentPeriodStart, s.currentPeriodEnd)],
    ['Next invoice', s.nextInvoiceDate ?? ''],
    ['Coupon', s.couponCode ? `${s.couponCode} (from ${s.couponAppliedOn ?? s.startDate})` : ''],
    ['Scheduled change', s.scheduledChange ? `to ${s.scheduledChange.planName} x ${s.scheduledChange.quantity} on ${s.scheduledChange.on}` : ''],
    ['Cancels on', s.cancelAt && s.status !== 'canceled' ? s.cancelAt : ''],
    ['Canceled on', s.canceledAt ?? ''],
    ['Paused from', s.status === 'paused' ? (s.pausedAt ?? '') : ''],
    ['License key', withLicense ? (s.licenseKey ?? '') : ''],
    ['License expires on', withLicense && s.licenseKey ? (s.licenseExpiresOn ?? '') : ''],
  ];
  return formatFields([
    ['Subscription id', s.id],
    ['Customer', `${s.customerName} (${s.customerId})`],
    ['Plan', `${s.planName}${s.quantity > 1 ? ` x ${s.quantity}` : ''} (${s.planId})`],
    ['Amount', subscriptionAmountText(s)],
    ['Status', s.status],
    ['Started', s.startDate],
    ['Anchor date', s.anchorDate],
    ...optional.filter(([, value]) => value !== ''),
  ]);
}

const indent = (text: string) => text.split('\n').map((line) => (line ? `  ${line}` : line)).join('\n');

/** "2 of 3 active (1 deactivated)", "none activated (up to 3)", "2 active (no limit)". */
export function machinesText(l: SubscriptionLicense): string {
  const deactivated = l.machines.length - l.activeMachines;
  const count = l.maxMachines === null ? (l.activeMachines === 0 ? 'none activated (no limit)' : `${l.activeMachines} active (no limit)`) : l.activeMachines === 0 ? `none activated (up to ${l.maxMachines})` : `${l.activeMachines} of ${l.maxMachines} active`;
  return deactivated > 0 ? `${count} (${deactivated} deactivated)` : count;
}

/** The license block of `subscription show`: key, where it stands, machines n/max, last validation, and the machines. */
export function licenseText(l: SubscriptionLicense): string {
  const status = l.status === 'valid' ? `valid, expires on ${l.expiresOn ?? ''}` : l.expiresOn ? `expired on ${l.expiresOn}` : 'expired';
  const fields = formatFields([
    ['Key', l.key],
    ['Status', status],
    ['Machines', machinesText(l)],
    ['Last validated', l.validatedOn ?? 'never'],
  ]);
  const machines = l.machines.length
    ? `\n\n${formatTable(l.machines, [
        { header: 'MACHINE', value: (m) => m.name ?? '(no name)' },
        { header: 'FINGERPRINT', value: (m) => m.fingerprint },
        { header: 'ACTIVATED', value: (m) => m.activatedAt.slice(0, 10) },
        { header: 'LAST SEEN', value: (m) => m.lastSeenOn ?? 'never' },
        { header: 'STATUS', value: (m) => (m.deactivatedAt ? `deactivated ${m.deactivatedAt.slice(0, 10)}` : 'active') },
      ])}`
    : '\n\nNo machines activated yet: the product activates them through the license API.';
  return `License:\n${indent(fields + machines)}`;
}

export function subscriptionTable(subs: readonly Subscription[]): string {
  return formatTable(subs, [
    { header: 'ID', value: (s) => s.id },
    { header: 'CUSTOMER', value: (s) => s.customerName },
    { header: 'PLAN', value: (s) => s.planName },
    { header: 'QTY', value: (s) => String(s.quantity), align: 'right' },
    { header: 'AMOUNT', value: (s) => moneyText(s.recurringAmount, s.currency), align: 'right' },
    { header: 'EVERY', value: (s) => cadenceText(s.interval, s.intervalCount) },
    { header: 'STATUS', value: (s) => s.status },
    { header: 'NEXT INVOICE', value: (s) => s.nextInvoiceDate ?? '' },
  ]);
}

const CHARGE_KINDS: readonly InvoiceLine['kind'][] = ['recurring', 'setup_fee', 'proration', 'product', 'manual'];

/** The charges of an invoice (discount, tax and credit are shown with the totals). */
export function linesTable(lines: readonly InvoiceLine[], currency: string): string {
  return formatTable(
    lines.filter((l) => CHARGE_KINDS.includes(l.kind)),
    [
      { header: 'DESCRIPTION', value: (l) => l.description },
      { header: 'PERIOD', value: (l) => periodText(l.periodStart, l.periodEnd) },
      { header: 'QTY', value: (l) => String(l.quantity), align: 'right' },
      { header: 'AMOUNT', value: (l) => moneyText(l.amount, currency), align: 'right' },
    ],
  );
}

/** Label and amount rows with the amounts lined up on the right. */
export function amountRows(rows: readonly (readonly [string, string])[]): string {
  const labelWidth = Math.max(...rows.map(([label]) => label.length + 1));
  const amountWidth = Math.max(...rows.map(([, amount]) => amount.length));
  return rows.map(([label, amount]) => `${`${label}:`.padEnd(labelWidth)}  ${amount.padStart(amountWidth)}`).join('\n');
}

interface Totals {
  lines: readonly InvoiceLine[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  amountDue: number;
}

/** Subtotal, discount, tax, total, then what settles it: credit, payments, what is still due. */
export function totalsText(t: Totals & { creditApplied?: number; amountPaid?: number }, currency: string): string {
  const money = (minor: number) => moneyText(minor, currency);
  const discountLabel = t.lines.find((l) => l.kind === 'discount')?.description ?? 'Discount';
  const credit = t.creditApplied ?? -(t.lines.find((l) => l.kind === 'credit')?.amount ?? 0);
  const rows: [string, string][] = [['Subtotal', money(t.subtotal)]];
  if (t.discount) rows.push([discountLabel, money(-t.discount)]);
  if (t.tax) rows.push(['Tax', money(t.tax)]);
  rows.push(['Total', money(t.total)]);
  if (credit) rows.push(['Credit applied', money(-credit)]);
  if (t.amountPaid !== undefined) rows.push(['Paid', money(t.amountPaid)]);
  rows.push(['Amount due', money(t.amountDue)]);
  return amountRows(rows);
}

type InvoiceDetail = Invoice & { payments?: Payment[]; refunds?: { amount: number; refundedOn: string; reason: string }[] };

/** An invoice as a person reads it: who and when, the charges, the totals, then payments and refunds. */
export function describeInvoice(inv: InvoiceDetail): string {
  const status = inv.status === 'paid' && inv.paidOn ? `paid on ${inv.paidOn}` : inv.status;
  const retry = inv.nextRetryOn ? `, next card attempt ${inv.nextRetryOn}` : '';
  const header = formatFields([
    ['Invoice', `${inv.number} (${inv.id})`],
    ['Customer', `${inv.customerName} (${inv.customerId})`],
    ['Issued', inv.issueDate],
    ['Due', inv.dueDate],
    ...(inv.periodStart ? [['Period', periodText(inv.periodStart, inv.periodEnd)] as [string, string]] : []),
    ['Status', `${status}${retry}`],
  ]);
  const parts = [header, '', linesTable(inv.lines, inv.currency), '', totalsText(inv, inv.currency)];
  const payments = inv.payments ?? [];
  if (payments.length) {
    parts.push(
      '',
      'Payments:',
      formatTable(payments, [
        { header: 'PAYMENT ID', value: (p) => p.id },
        { header: 'DATE', value: (p) => p.paidOn },
        { header: 'METHOD', value: (p) => p.method },
        { header: 'STATUS', value: (p) => (p.failureReason ? `${p.status} (${p.failureReason})` : p.status) },
        { header: 'AMOUNT', value: (p) => moneyText(p.amount, p.currency), align: 'right' },
        { header: 'REFUNDED', value: (p) => (p.amountRefunded ? moneyText(p.amountRefunded, p.currency) : ''), align: 'right' },
      ]),
    );
  }
  const refunds = inv.refunds ?? [];
  if (refunds.length) {
    parts.push(
      '',
      'Refunds:',
      formatTable(refunds, [
        { header: 'DATE', value: (r) => r.refundedOn },
        { header: 'AMOUNT', value: (r) => moneyText(r.amount, inv.currency), align: 'right' },
        { header: 'REASON', value: (r) => r.reason },
      ]),
    );
  }
  return parts.join('\n');
}

export function invoiceTable(invoices: readonly Invoice[]): string {
  return formatTable(invoices, [
    { header: 'NUMBER', value: (i) => i.number },
    { header: 'CUSTOMER', value: (i) => i.customerName },
    { header: 'ISSUED', value: (i) => i.issueDate },
    { header: 'DUE', value: (i) => i.dueDate },
    { header: 'STATUS', value: (i) => i.status },
    { header: 'TOTAL', value: (i) => moneyText(i.total, i.currency), align: 'right' },
    { header: 'DUE NOW', value: (i) => moneyText(i.amountDue, i.currency), align: 'right' },
    { header: 'ID', value: (i) => i.id },
  ]);
}

/** payments.list rows: a refund is a row of its own with a negative amount, its KIND saying so. */
export function paymentListTable(rows: readonly PaymentListRow[]): string {
  return formatTable(rows, [
    { header: 'ID', value: (p) => p.id },
    { header: 'DATE', value: (p) => p.paidOn },
    { header: 'KIND', value: (p) => p.kind },
    { header: 'CUSTOMER', value: (p) => p.customerName },
    { header: 'INVOICE', value: (p) => p.invoiceNumber ?? '' },
    { header: 'METHOD', value: (p) => p.method },
    { header: 'STATUS', value: (p) => p.status },
    { header: 'AMOUNT', value: (p) => moneyText(p.amount, p.currency), align: 'right' },
    { header: 'REFUNDED', value: (p) => (p.amountRefunded ? moneyText(p.amountRefunded, p.currency) : ''), align: 'right' },
  ]);
}

/** What a change will do: its proration lines, any invoice issued at once, and the next regular invoice. */
export function previewText(p: ChangePreview): string {
  const money = (minor: number) => moneyText(minor, p.currency);
  const parts: string[] = [`Takes effect on ${p.effectiveOn}.`];
  if (p.prorationLines.length) {
    parts.push('', 'Proration:', amountRows(p.prorationLines.map((l) => [l.description, money(l.amount)])));
  }
  const invoice = (title: string, inv: NonNullable<ChangePreview['nextInvoice']>) =>
    parts.push('', `${title} (${inv.issueDate}):`, linesTable(inv.lines, p.currency), '', totalsText(inv, p.currency));
  if (p.invoiceNow) invoice('Invoiced now', p.invoiceNow);
  if (p.nextInvoice) invoice(p.trialEndsOn ? 'First invoice, when the trial ends' : 'Next invoice', p.nextInvoice);
  return parts.join('\n');
}
