import { isIsoDate } from '@shared/domain/dates';
import { currencyExponent, MoneyParseError, parseMoney, type CurrencyCode } from '@shared/domain/money';
import { validationError } from './errors';

// Flags arrive as text. Numbers are parsed strictly here ("30x" or "3.5" are
// refused, never coerced) and named by their contract field, so a bad value is
// a validation error exactly like one the core reports. Ranges stay the core's.

const WHOLE_NUMBER = /^-?\d+$/;

/** "30" -> 30; "-5" passes so the core can say why it is out of range. */
export function parseWholeNumber(text: string, field: string, flag: string, message: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!WHOLE_NUMBER.test(trimmed) || !Number.isSafeInteger(value)) throw validationError(field, message, flag);
  return value;
}

/** "3,5,7" -> [3, 5, 7]; spaces around the commas are fine, empty items are not. */
export function parseWholeNumberList(text: string, field: string, flag: string, message: string): number[] {
  return text.split(',').map((item) => parseWholeNumber(item, field, flag, message));
}

/** "2026-03-01" as typed (spaces trimmed), or a validation error naming the flag, with the core's own message. */
export function parseDate(text: string, field: string, flag: string): string {
  const trimmed = text.trim();
  if (!isIsoDate(trimmed)) throw validationError(field, 'Use a date like 2026-03-01', flag);
  return trimmed;
}

/**
 * "29.00" -> 2900 in the business currency, exactly (parseMoney works on the
 * digits, never a float). Too many decimals, a negative or a word is refused
 * naming the flag; zero passes so the core can say whether it is allowed.
 * Thousands separators pass only when the business's `locale` groups with
 * commas (en-US "1,000.00"); elsewhere they are refused, not guessed.
 */
export function parseAmount(text: string, currency: CurrencyCode, field: string, flag: string, locale?: string): number {
  try {
    return parseMoney(text, currency, locale === undefined ? {} : { locale });
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    const example = currencyExponent(currency) === 0 ? '1500' : `29.${'0'.repeat(currencyExponent(currency))}`;
    const message = /is not an amount$/.test(error.message) ? `Enter an amount like ${example}` : error.message;
    throw validationError(field, message, flag);
  }
}
