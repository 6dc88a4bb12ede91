import { z } from 'zod';
import { CURRENCY_CODES } from './money';
import { isIsoDate, isTimeZone } from './dates';
import { ROLES } from './roles';

// Field schemas shared by forms, IPC and the CLI, so a rule and its message live in one place.

export const idSchema = z.string().min(1, 'Required').max(64);

// Control characters (NUL, escape, bell...) are never text a person meant:
// refused in every field, naming it. Multi-line fields keep tab and newlines.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const CONTROL_CHARACTER_MESSAGE = 'Remove the control characters (like NUL or escape) from this text';
/** True for one line of text without control characters. */
export const isSingleLineText = (value: string) => !CONTROL.test(value);
/** True for text whose only control characters are tabs and line breaks. */
export const isMultilineText = (value: string) => !CONTROL_BUT_LINES.test(value);
/** A one-line text field: trimmed, at most `max` characters, no control characters. */
export const lineText = (max: number, tooLong = `Keep it under ${max} characters`) =>
  z.string().trim().max(max, tooLong).refine(isSingleLineText, CONTROL_CHARACTER_MESSAGE);
/** A multi-line text field (notes, descriptions): tabs and line breaks allowed. */
export const multilineText = (max: number, tooLong = `Keep it under ${max} characters`) =>
  z.string().trim().max(max, tooLong).refine(isMultilineText, CONTROL_CHARACTER_MESSAGE);

/** "Required" rather than zod's "expected string, received undefined". */
const required = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined || issue.input === null ? message : 'Expected text'),
});

export const nameSchema = z
  .string(required('Enter a name'))
  .trim()
  .min(1, 'Enter a name')
  .max(200, 'Keep it under 200 characters')
  .refine(isSingleLineText, CONTROL_CHARACTER_MESSAGE);

export const emailSchema = z
  .string(required('Enter an email address'))
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'That email address is too long')
  .pipe(z.email({ message: 'Enter a valid email address, like name@example.com' }));

export const PASSWORD_MIN = 8;
export const passwordSchema = z
  .string(required('Enter a password'))
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(200, 'Keep it under 200 characters');

/** A password being checked at login: any non-empty string (rules apply when it is set). */
export const loginPasswordSchema = z.string().min(1, 'Enter your password').max(200);

export const currencySchema = z.enum(CURRENCY_CODES, { message: 'Choose a currency from the list' });

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isTimeZone, { message: 'Choose a time zone from the list, like America/New_York' });

/** The earliest date anyone may enter (a start in year 0 would bill 2,000 years). */
export const MIN_DATE = '1970-01-01';
/** How far ahead an entered date may be: today + this many years, in the business's time zone (checked by the core). */
export const MAX_YEARS_AHEAD = 10;

/**
 * A calendar date a person enters. The core also refuses one more than
 * MAX_YEARS_AHEAD years after today in the business's time zone, for every
 * field declared with this schema (src-main/core/date-bounds.ts).
 */
export const isoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'Use a date like 2026-03-01' })
  .refine((date) => date >= MIN_DATE, { message: `Use a date from ${MIN_DATE} on` });

export const roleSchema = z.enum(ROLES, { message: 'Role must be owner, staff or viewer' });

/** A percentage with up to 4 decimals as text, "8.25". */
export const percentTextSchema = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,4})?$/, 'Use a percentage like 8.25')
  .refine((v) => Number(v) <= 100, { message: 'A percentage cannot exceed 100' });

export const invoicePrefixSchema = z
  .string()
  .trim()
  .min(1, 'Enter a prefix')
  .max(10, 'Keep the prefix to 10 characters')
  .regex(/^[A-Za-z0-9-]+$/, 'Use letters, digits and dashes only');

export const netTermsSchema = z
  .number({ message: 'Enter a number of days' })
  .int('Use whole days')
  .min(0, 'Net terms cannot be negative')
  .max(365, 'Net terms are at most 365 days');

export const dunningDaysSchema = z
  .array(z.number().int('Use whole days').min(1, 'Retries start at day 1').max(90, 'Retries end by day 90'))
  .min(1, 'Give at least one retry day')
  .max(10, 'At most 10 retries')
  .refine((days) => days.every((d, i) => i === 0 || d > (days[i - 1] ?? 0)), {
    message: 'Retry days must increase, like 3, 5, 7',
  });

export const localeSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a locale like en-US')
  .max(35);
