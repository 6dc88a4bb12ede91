import { z } from 'zod';
import { currencyExponent, MoneyParseError, parseMoney, type CurrencyCode } from '@shared/domain/money';

// Money typed by a person ("29", "29.5", "1,299.00") becomes integer minor units
// through parseMoney; nothing in between is a float.

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

export function parseMoneyInput(text: string, currency: CurrencyCode, opts: { required?: boolean; positive?: boolean } = {}): MoneyParse {
  const trimmed = text.trim();
  if (trimmed === '') {
    return opts.required === false ? { ok: true, minor: 0 } : { ok: false, message: 'Enter an amount' };
  }
  // People type the symbol along with the number; it says nothing the currency does not.
  const bare = trimmed.replace(/^[^\d\-.,]+/, '').replace(/[^\d.,]+$/, '');
  try {
    const minor = parseMoney(bare, currency);
    if (opts.positive && minor <= 0) return { ok: false, message: 'The amount must be more than zero' };
    return { ok: true, minor };
  } catch (error) {
    if (error instanceof MoneyParseError) {
      const message = error.message.includes('is not an amount') ? `Enter an amount like ${currencyExponent(currency) === 0 ? '1500' : (29).toFixed(currencyExponent(currency))}` : error.message;
      return { ok: false, message };
    }
    throw error;
  }
}

/** A zod field for a money text input: parses to minor units, with the message on that field. */
export function moneyText(currency: CurrencyCode, opts: { required?: boolean; positive?: boolean } = {}) {
  return z.string().transform((text, ctx) => {
    const parsed = parseMoneyInput(text, currency, opts);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.minor;
  });
}

/** "$", "€", "¥": the symbol shown inside a money input, in the business's locale. */
export function currencySymbol(currency: CurrencyCode, locale: string): string {
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
  return parts.find((p) => p.type === 'currency')?.value ?? currency;
}
