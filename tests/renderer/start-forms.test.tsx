import { schemaResolver } from '@mantine/form';
import { describe, expect, it } from 'vitest';
import { guessCurrency } from '../../src-renderer/src/features/start/guess-currency';
import { orderBusinesses } from '../../src-renderer/src/features/start/order-businesses';
import { signUpDefaults, signUpFormSchema, toSignUpInput } from '../../src-renderer/src/features/start/sign-up-form';

const validate = schemaResolver(signUpFormSchema, { sync: true });
const filled = {
  ...signUpDefaults('USD', 'Europe/Paris'),
  businessName: 'Sunrise Yoga',
  ownerName: 'Olivia',
  ownerEmail: 'olivia@example.com',
  password: 'correct horse',
  confirmPassword: 'correct horse',
};

describe('the sign-up form', () => {
  it('accepts a complete form and sends it without the confirmation', () => {
    expect(validate(filled)).toEqual({});
    const { confirmPassword: _confirm, ...rest } = filled;
    expect(toSignUpInput(filled)).toEqual(rest);
  });

  it('reports a bad email, a short password and a mismatched confirmation at once', () => {
    expect(validate({ ...filled, ownerEmail: 'olivia', password: 'short', confirmPassword: 'shorter' })).toEqual({
      ownerEmail: 'Enter a valid email address, like name@example.com',
      password: 'Use at least 8 characters',
      confirmPassword: 'The two passwords are not the same',
    });
  });

  it('asks for the confirmation before comparing it', () => {
    expect(validate({ ...filled, confirmPassword: '' })).toEqual({ confirmPassword: 'Type the password again' });
  });

  it('refuses a time zone that does not exist', () => {
    expect(validate({ ...filled, timezone: 'Mars/Olympus' })).toEqual({ timezone: 'Choose a time zone from the list, like America/New_York' });
  });
});

describe('guessCurrency', () => {
  it("guesses from this PC's region, with the euro for euro countries and USD when unsure", () => {
    expect(guessCurrency('en-GB')).toBe('GBP');
    expect(guessCurrency('fr-FR')).toBe('EUR');
    expect(guessCurrency('ja')).toBe('JPY');
    expect(guessCurrency('en-US')).toBe('USD');
    expect(guessCurrency('es-AR')).toBe('USD');
    expect(guessCurrency('not a locale')).toBe('USD');
  });
});

describe('orderBusinesses', () => {
  it('puts the last used business first, then sorts by name', () => {
    const list = [
      { id: 'b', name: 'Beta Gym', currency: 'USD' as const, timezone: 'UTC' },
      { id: 'c', name: 'Cleaners', currency: 'USD' as const, timezone: 'UTC' },
      { id: 'a', name: 'Alpha Tutoring', currency: 'USD' as const, timezone: 'UTC' },
    ];
    expect(orderBusinesses(list, 'c').map((b) => b.id)).toEqual(['c', 'a', 'b']);
    expect(orderBusinesses(list, null).map((b) => b.id)).toEqual(['a', 'b', 'c']);
  });
});
