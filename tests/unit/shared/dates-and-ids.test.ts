import { describe, expect, it } from 'vitest';
import { dateInTimeZone, daysInMonth, fromDayNumber, isIsoDate, isTimeZone, startOfDayInstant, toDayNumber } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import { newId } from '../../../src-main/core/ids';

describe('dates', () => {
  it('counts days exactly as Date does, for every day of 1600-2400', () => {
    // The integer arithmetic of toDayNumber/fromDayNumber/daysInMonth against the platform's calendar.
    const first = Math.round(Date.UTC(1600, 0, 1) / 86_400_000);
    const last = Math.round(Date.UTC(2400, 11, 31) / 86_400_000);
    for (let day = first; day <= last; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (fromDayNumber(day) !== iso) expect(fromDayNumber(day)).toBe(iso);
      if (toDayNumber(iso) !== day) expect(toDayNumber(iso)).toBe(day);
    }
    for (let year = 1600; year <= 2400; year++) {
      for (let month = 1; month <= 12; month++) {
        const expected = new Date(Date.UTC(year, month, 0)).getUTCDate();
        if (daysInMonth(year, month) !== expected) expect(daysInMonth(year, month)).toBe(expected);
      }
    }
  });

  it('finds the first instant of a day in each zone, across DST changes, zones asked in turn', () => {
    // The formatter is kept per zone: alternating zones must not mix them up.
    const cases: [string, string, string][] = [
      ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'], // DST starts at 02:00 that day: midnight is still EST
      ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'],
      ['2026-10-25', 'Europe/Paris', '2026-10-24T22:00:00.000Z'], // CEST ends at 03:00 that day: midnight is still CEST
      ['2026-10-26', 'Europe/Paris', '2026-10-25T23:00:00.000Z'],
      ['2026-07-01', 'UTC', '2026-07-01T00:00:00.000Z'],
      ['2026-07-01', 'Asia/Kolkata', '2026-06-30T18:30:00.000Z'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [date, zone, instant] of cases) expect(startOfDayInstant(date, zone).toISOString(), `${date} ${zone}`).toBe(instant);
    }
  });

  it('adds months keeping the day, clamped to the end of a shorter month, across years both ways', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2000-02-29', 12)).toBe('2001-02-28');
    expect(addMonths('2026-05-31', 120)).toBe('2036-05-31');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('yesterday')).toBe(false);
  });

  it("gives today's date in the business's time zone", () => {
    const instant = new Date('2026-03-01T03:30:00Z');
    expect(dateInTimeZone(instant, 'UTC')).toBe('2026-03-01');
    expect(dateInTimeZone(instant, 'America/New_York')).toBe('2026-02-28');
    expect(dateInTimeZone(instant, 'Asia/Tokyo')).toBe('2026-03-01');
  });

  it('knows time zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('ids', () => {
  it('are UUIDv7, unique and increasing within a process', () => {
    const ids = Array.from({ length: 10_000 }, () => newId(1_760_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
