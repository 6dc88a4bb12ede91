import { describe, expect, it } from 'vitest';
import { formatMoney } from '@shared/domain/money';
import { formatCompactMoney as axisMoney } from '../../src-renderer/src/lib/money';
import { formatDay, formatMonth, formatPeriod, isoPeriod } from '../../src-renderer/src/lib/dates';
import { currencySymbol, moneyText, parseMoneyInput } from '../../src-renderer/src/lib/money-input';

describe('parseMoneyInput: money typed by a person, to minor units', () => {
  it('reads whole amounts, decimals, grouping and a leading symbol exactly', () => {
    expect(parseMoneyInput('30', 'USD')).toEqual({ ok: true, minor: 3000 });
    expect(parseMoneyInput('29.5', 'USD')).toEqual({ ok: true, minor: 2950 });
    expect(parseMoneyInput(' 0.07 ', 'USD')).toEqual({ ok: true, minor: 7 });
    expect(parseMoneyInput('1,299.00', 'USD')).toEqual({ ok: true, minor: 129900 });
    expect(parseMoneyInput('$40.65', 'USD')).toEqual({ ok: true, minor: 4065 });
    expect(parseMoneyInput('20.32 USD', 'USD')).toEqual({ ok: true, minor: 2032 });
    // 0.1 + 0.2 in floats is 0.30000000000000004; digit by digit it is 30 cents.
    expect(parseMoneyInput('0.30', 'USD')).toEqual({ ok: true, minor: 30 });
  });

  it('follows the currency exponent', () => {
    expect(parseMoneyInput('1500', 'JPY')).toEqual({ ok: true, minor: 1500 });
    expect(parseMoneyInput('15.5', 'JPY')).toEqual({ ok: false, message: 'JPY has no decimal places' });
    expect(parseMoneyInput('1.250', 'KWD')).toEqual({ ok: true, minor: 1250 });
    expect(parseMoneyInput('29.001', 'USD')).toEqual({ ok: false, message: 'USD allows at most 2 decimal places' });
  });

  it('refuses what is not an amount, negatives, and zero where more is needed', () => {
    expect(parseMoneyInput('abc', 'USD')).toEqual({ ok: false, message: 'Enter an amount like 29.00' });
    expect(parseMoneyInput('12.3.4', 'USD')).toEqual({ ok: false, message: 'Enter an amount like 29.00' });
    expect(parseMoneyInput('-5', 'USD')).toEqual({ ok: false, message: 'The amount cannot be negative' });
    expect(parseMoneyInput('0', 'USD', { positive: true })).toEqual({ ok: false, message: 'The amount must be more than zero' });
    expect(parseMoneyInput('99999999999', 'USD')).toEqual({ ok: false, message: 'The amount is too large' });
  });

  it('treats an empty box as missing, or as zero when the amount is optional', () => {
    expect(parseMoneyInput('  ', 'USD')).toEqual({ ok: false, message: 'Enter an amount' });
    expect(parseMoneyInput('', 'USD', { required: false })).toEqual({ ok: true, minor: 0 });
  });

  it('round-trips what formatMoney shows', () => {
    for (const minor of [0, 1, 99, 2032, 4065, 8033, 123456789]) {
      expect(parseMoneyInput(formatMoney(minor, 'USD'), 'USD')).toEqual({ ok: true, minor });
    }
  });

  it('works as a zod field with the message on the field', () => {
    expect(moneyText('USD').safeParse('12.34')).toEqual({ success: true, data: 1234 });
    const bad = moneyText('USD').safeParse('12,,3');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('Enter an amount like 29.00');
  });

  it('shows the currency symbol of the locale', () => {
    expect(currencySymbol('USD', 'en-US')).toBe('$');
    expect(currencySymbol('EUR', 'de-DE')).toBe('€');
    expect(currencySymbol('JPY', 'en-US')).toBe('¥');
  });
});

describe('billing dates for people', () => {
  it('shows a calendar date as that day, whatever the PC time zone', () => {
    expect(formatDay('2026-03-01')).toBe('Mar 1, 2026');
    expect(formatDay('2026-12-31')).toBe('Dec 31, 2026');
    expect(formatDay('not a date')).toBe('not a date');
    expect(formatMonth('2026-04')).toBe('Apr 2026');
  });

  it('shows a half-open period with its last day', () => {
    // Intl puts thin spaces around the dash.
    const period = (start: string, end: string) => formatPeriod(start, end).replace(/\s/g, ' ');
    expect(period('2026-03-01', '2026-04-01')).toBe('Mar 1 – 31, 2026');
    expect(period('2026-03-24', '2026-04-24')).toBe('Mar 24 – Apr 23, 2026');
    expect(period('2026-12-15', '2027-01-15')).toBe('Dec 15, 2026 – Jan 14, 2027');
    expect(period('2026-03-05', '2026-03-06')).toBe('Mar 5, 2026');
    expect(isoPeriod('2026-03-01', '2026-04-01')).toBe('2026-03-01 to 2026-03-31');
  });
});

describe('formatCompactMoney: compact chart ticks', () => {
  it('formats minor units compactly, rounding ticks that fall between cents', () => {
    expect(axisMoney(12_000, 'USD', 'en-US')).toBe('$120');
    expect(axisMoney(250_000, 'USD', 'en-US')).toBe('$2.5K');
    expect(axisMoney(1500.4, 'USD', 'en-US')).toBe('$15');
    expect(axisMoney(1_500_000, 'JPY', 'en-US')).toBe('¥1.5M');
  });
});
