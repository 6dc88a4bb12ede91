import { describe, expect, it } from 'vitest';
import { dateInTimeZone, isIsoDate, isTimeZone } from '@shared/domain/dates';
import { newId } from '../../../src-main/core/ids';

describe('dates', () => {
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
