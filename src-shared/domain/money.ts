// Money is an integer count of the currency's minor unit. Nothing below the UI
// ever holds a float amount; decimal strings are parsed digit by digit.

/** ISO 4217 currencies a business can choose, with their minor-unit exponent. */
export const CURRENCIES = {
  USD: { exponent: 2, name: 'US dollar' },
  EUR: { exponent: 2, name: 'Euro' },
  GBP: { exponent: 2, name: 'Pound sterling' },
  CAD: { exponent: 2, name: 'Canadian dollar' },
  AUD: { exponent: 2, name: 'Australian dollar' },
  NZD: { exponent: 2, name: 'New Zealand dollar' },
  CHF: { exponent: 2, name: 'Swiss franc' },
  SEK: { exponent: 2, name: 'Swedish krona' },
  NOK: { exponent: 2, name: 'Norwegian krone' },
  DKK: { exponent: 2, name: 'Danish krone' },
  PLN: { exponent: 2, name: 'Polish zloty' },
  CZK: { exponent: 2, name: 'Czech koruna' },
  MXN: { exponent: 2, name: 'Mexican peso' },
  BRL: { exponent: 2, name: 'Brazilian real' },
  INR: { exponent: 2, name: 'Indian rupee' },
  SGD: { exponent: 2, name: 'Singapore dollar' },
  HKD: { exponent: 2, name: 'Hong Kong dollar' },
  ZAR: { exponent: 2, name: 'South African rand' },
  JPY: { exponent: 0, name: 'Japanese yen' },
  KRW: { exponent: 0, name: 'South Korean won' },
  ISK: { exponent: 0, name: 'Icelandic krona' },
  KWD: { exponent: 3, name: 'Kuwaiti dinar' },
  BHD: { exponent: 3, name: 'Bahraini dinar' },
} as const satisfies Record<string, { exponent: number; name: string }>;

export type CurrencyCode = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]];

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.prototype.hasOwnProperty.call(CURRENCIES, code);
}

export function currencyExponent(currency: CurrencyCode): number {
  return CURRENCIES[currency].exponent;
}

/** Largest amount we accept anywhere: keeps every product of amount x rate exact. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000; // 10 billion units of a 2-decimal currency

export class MoneyParseError extends Error {}

/**
 * "29.00" -> 2900 for USD, "1500" -> 1500 for JPY. Accepts an optional leading
 * minus and at most the currency's decimals, with a dot for the decimals.
 * Thousands grouped with commas ("1,299.00") are accepted when no locale is
 * given (a person typing in the app), or when `locale` (the business's) groups
 * with commas and writes decimals with a dot; for another locale ("1,000.00"
 * in de-DE reads as one) they are refused rather than guessed.
 */
export function parseMoney(text: string, currency: CurrencyCode, opts: { allowNegative?: boolean; locale?: string } = {}): number {
  const exponent = currencyExponent(currency);
  let trimmed = text.trim();
  if (trimmed.includes(',')) {
    if (opts.locale !== undefined && !groupsWithCommas(opts.locale)) {
      throw new MoneyParseError(`Write the amount without thousands separators, like ${exponent === 0 ? '1500' : `1000.${'0'.repeat(exponent)}`}`);
    }
    if (!/^-?\d{1,3}(,\d{3})+(\.\d*)?$/.test(trimmed)) throw new MoneyParseError(`"${text}" is not an amount`);
    trimmed = trimmed.replace(/,/g, '');
  }
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) throw new MoneyParseError(`"${text}" is not an amount`);
  const [, minus, whole = '', fraction = ''] = match;
  if (minus && !opts.allowNegative) throw new MoneyParseError('The amount cannot be negative');
  if (fraction.length > exponent) {
    throw new MoneyParseError(
      exponent === 0 ? `${currency} has no decimal places` : `${currency} allows at most ${exponent} decimal places`,
    );
  }
  const digits = whole + fraction.padEnd(exponent, '0');
  const value = Number(digits.replace(/^0+(?=\d)/, ''));
  if (!Number.isSafeInteger(value) || value > MAX_AMOUNT_MINOR) throw new MoneyParseError('The amount is too large');
  return minus ? -value : value;
}

/** Whether a locale writes 1000.5 as "1,000.5" (comma groups, dot decimals), as en-US does and de-DE does not. */
export function groupsWithCommas(locale: string): boolean {
  try {
    const parts = new Intl.NumberFormat(locale).formatToParts(1000.5);
    return parts.find((p) => p.type === 'group')?.value === ',' && parts.find((p) => p.type === 'decimal')?.value === '.';
  } catch {
    return false;
  }
}

/** 2900 -> "29.00" (no grouping, no symbol): the exact decimal form used in CSV and inputs. */
export function toDecimalString(minor: number, currency: CurrencyCode): string {
  assertMinor(minor);
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

// Building a NumberFormat is costly (billing formats amounts for every timeline line): keep one per locale and currency.
const formatters = new Map<string, Intl.NumberFormat>();

/** For people: "$29.00", "¥1,500". The number is built from the exact decimal string. */
export function formatMoney(minor: number, currency: CurrencyCode, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    const exponent = currencyExponent(currency);
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent });
    formatters.set(key, format);
  }
  return format.format(toDecimalString(minor, currency) as unknown as number);
}

export function assertMinor(value: number): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`money must be an integer of minor units, got ${value}`);
}

/**
 * round(numerator / denominator), half away from zero, on integers only
 * (spec 1). BigInt keeps amount x rate products exact past 2^53.
 */
export function divRound(numerator: number | bigint, denominator: number | bigint): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) throw new RangeError('division by zero');
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (2n * an + ad) / (2n * ad); // floor((an / ad) + 1/2)
  const result = Number(negative ? -q : q);
  return result === 0 ? 0 : result; // no -0
}

/** Parts-per-million rates: "8.25" percent -> 82_500 ppm, exactly. */
export function parsePercentToPpm(text: string): number {
  const match = /^\s*(\d{1,3})(?:\.(\d{0,4}))?\s*%?\s*$/.exec(text);
  if (!match) throw new MoneyParseError(`"${text}" is not a percentage`);
  const [, whole = '0', fraction = ''] = match;
  const ppm = Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
  if (ppm > 1_000_000) throw new MoneyParseError('A percentage cannot exceed 100');
  return ppm;
}

export function ppmToPercentString(ppm: number): string {
  const whole = Math.trunc(ppm / 10_000);
  const fraction = String(ppm % 10_000).padStart(4, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
