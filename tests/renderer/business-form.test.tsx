import { schemaResolver } from '@mantine/form';
import { describe, expect, it } from 'vitest';
import { businessFormSchema, toBusinessUpdate, type BusinessFormValues } from '../../src-renderer/src/features/business-settings/business-form';
import { formatDunningDays, parseDunningDays } from '../../src-renderer/src/features/business-settings/dunning-days';

describe('parseDunningDays', () => {
  it('reads days separated by commas, spaces or semicolons', () => {
    expect(parseDunningDays('3, 5, 7')).toEqual({ ok: true, days: [3, 5, 7] });
    expect(parseDunningDays(' 1 2;4 ,, 9 ')).toEqual({ ok: true, days: [1, 2, 4, 9] });
  });

  it('names the part that is not a whole number', () => {
    expect(parseDunningDays('3, five, 7')).toEqual({ ok: false, message: '"five" is not a whole number of days' });
    expect(parseDunningDays('3.5')).toEqual({ ok: false, message: '"3.5" is not a whole number of days' });
    expect(parseDunningDays('-2')).toEqual({ ok: false, message: '"-2" is not a whole number of days' });
  });

  it('asks for at least one day when empty', () => {
    expect(parseDunningDays(' , ')).toEqual({ ok: false, message: 'Give at least one retry day, like 3, 5, 7' });
  });

  it('formats back to the text the field shows', () => {
    expect(formatDunningDays([3, 5, 7])).toBe('3, 5, 7');
  });
});

const VALID: BusinessFormValues = {
  name: 'Sunrise Yoga',
  currency: 'USD',
  timezone: 'America/New_York',
  locale: 'en-US',
  taxRate: '8.25',
  invoicePrefix: 'INV',
  netTermsDays: 14,
  dunningDays: '3, 5, 7',
  billingIntervalMinutes: 15,
  addressLine1: '12 Main St',
  addressLine2: '',
  city: 'Springfield',
  region: 'IL',
  postalCode: '62701',
  country: 'United States',
  email: 'hello@sunrise.example',
  phone: '',
  taxId: 'EIN 12-3456789',
  invoiceFooter: 'Thank you!',
  logo: null,
};

const validate = schemaResolver(businessFormSchema, { sync: true });

describe('the business settings form', () => {
  it('turns valid values into the business.update input', () => {
    expect(validate(VALID)).toEqual({});
    const shown = { ...VALID, name: 'Old name', dunningDays: '3, 5' };
    expect(toBusinessUpdate(VALID, shown)).toEqual({ name: VALID.name, dunningDays: [3, 5, 7] });
  });

  it('sends only the settings changed from what the form showed (a stale form never writes back another PC\'s change)', () => {
    expect(toBusinessUpdate(VALID, VALID)).toEqual({});
    expect(toBusinessUpdate({ ...VALID, netTermsDays: 30 }, VALID)).toEqual({ netTermsDays: 30 });
  });

  it('checks the details printed on documents: email, logo type and size, control characters', () => {
    expect(validate({ ...VALID, email: '' })).toEqual({});
    expect(validate({ ...VALID, email: 'not-an-email' })).toEqual({ email: 'Enter a valid email address, like name@example.com' });
    expect(validate({ ...VALID, logo: 'data:image/gif;base64,R0lGODlh' })).toEqual({ logo: 'The logo must be a PNG or JPEG image' });
    const big = `data:image/png;base64,${'A'.repeat(Math.ceil((200 * 1024 + 10) / 3) * 4)}`;
    expect(validate({ ...VALID, logo: big })).toEqual({ logo: 'The logo is larger than 200 KB; use a smaller image' });
    expect(validate({ ...VALID, taxId: 'EIN\u0000' }).taxId).toMatch(/control characters/);
    expect(toBusinessUpdate({ ...VALID, logo: 'data:image/png;base64,iVBORw0KGgo=' }, VALID)).toEqual({ logo: 'data:image/png;base64,iVBORw0KGgo=' });
    expect(toBusinessUpdate(VALID, { ...VALID, logo: 'data:image/png;base64,iVBORw0KGgo=' })).toEqual({ logo: null });
  });

  it("puts the contract's retry-day rules on the one text field", () => {
    expect(validate({ ...VALID, dunningDays: '7, 3' })).toEqual({ dunningDays: 'Retry days must increase, like 3, 5, 7' });
    expect(validate({ ...VALID, dunningDays: '3, 120' })).toEqual({ dunningDays: 'Retries end by day 90' });
    expect(validate({ ...VALID, dunningDays: 'soon' })).toEqual({ dunningDays: '"soon" is not a whole number of days' });
  });

  it('explains empty numbers and bad text fields in words', () => {
    const errors = validate({ ...VALID, netTermsDays: '', taxRate: '8,25', invoicePrefix: 'IN V', billingIntervalMinutes: 2000 });
    expect(errors).toEqual({
      netTermsDays: 'Enter a number of days',
      taxRate: 'Use a percentage like 8.25',
      invoicePrefix: 'Use letters, digits and dashes only',
      billingIntervalMinutes: 'Run billing at least once a day',
    });
  });
});
