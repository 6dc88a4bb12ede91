import { describe, expect, it } from 'vitest';
import { divRound, formatMoney, parseMoney, parsePercentToPpm, ppmToPercentString, toDecimalString } from '@shared/domain/money';

describe('money', () => {
  it('parses decimal strings to minor units exactly', () => {
    expect(parseMoney('29.00', 'USD')).toBe(2900);
    expect(parseMoney('29', 'USD')).toBe(2900);
    expect(parseMoney('0.1', 'USD')).toBe(10);
    expect(parseMoney('1,234.56', 'USD')).toBe(123456);
    expect(parseMoney('1500', 'JPY')).toBe(1500);
    expect(parseMoney('1.234', 'KWD')).toBe(1234);
    expect(parseMoney('-5.25', 'EUR', { allowNegative: true })).toBe(-525);
    expect(() => parseMoney('-5', 'USD')).toThrow(/negative/);
    expect(() => parseMoney('1.5', 'JPY')).toThrow(/no decimal/);
    expect(() => parseMoney('1.005', 'USD')).toThrow(/at most 2/);
    expect(() => parseMoney('abc', 'USD')).toThrow(/not an amount/);
    expect(() => parseMoney('1e5', 'USD')).toThrow();
  });

  it('formats minor units back without floats', () => {
    expect(toDecimalString(2900, 'USD')).toBe('29.00');
    expect(toDecimalString(5, 'USD')).toBe('0.05');
    expect(toDecimalString(-525, 'EUR')).toBe('-5.25');
    expect(toDecimalString(1500, 'JPY')).toBe('1500');
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect(() => toDecimalString(1.5, 'USD')).toThrow(TypeError);
  });

  it('rounds half away from zero (spec 1)', () => {
    expect(divRound(5, 2)).toBe(3); // 2.5 -> 3
    expect(divRound(-5, 2)).toBe(-3); // -2.5 -> -3
    expect(divRound(7, 2)).toBe(4);
    expect(divRound(1914, 10)).toBe(191); // 191.4 -> 191 (the 8.25% tax example)
    expect(divRound(3000 * 21, 31)).toBe(2032); // 2032.26 -> 2032
    expect(divRound(6000 * 21, 31)).toBe(4065); // 4064.52 -> 4065
    expect(divRound(0, 7)).toBe(0);
    expect(Object.is(divRound(-1, 3), 0)).toBe(true); // no -0
    expect(divRound(9_000_000_000_000n * 999_999n, 1_000_000n)).toBe(8_999_991_000_000);
  });

  it('keeps percentages exact in parts per million', () => {
    expect(parsePercentToPpm('8.25')).toBe(82_500);
    expect(parsePercentToPpm('8.875')).toBe(88_750);
    expect(parsePercentToPpm('20')).toBe(200_000);
    expect(parsePercentToPpm('100')).toBe(1_000_000);
    expect(() => parsePercentToPpm('100.5')).toThrow();
    expect(ppmToPercentString(82_500)).toBe('8.25');
    expect(ppmToPercentString(200_000)).toBe('20');
    expect(ppmToPercentString(0)).toBe('0');
  });
});
