import { useMemo } from 'react';
import { formatMoney, isCurrencyCode, toDecimalString, type CurrencyCode } from '@shared/domain/money';
import { useSession } from './auth';

export interface MoneyFormat {
  currency: CurrencyCode;
  locale: string;
  /** 2900 -> "$29.00" in the business's currency and locale. */
  format(minor: number): string;
  /** 2900 -> "29.00": what a money input starts with. */
  toInput(minor: number): string;
}

/** The business currency, falling back to USD for a code this build does not know. */
export function asCurrency(code: string): CurrencyCode {
  return isCurrencyCode(code) ? code : 'USD';
}

/** Money as the business shows it: amounts are integer minor units of the business currency. */
export function useMoney(): MoneyFormat {
  const { business } = useSession();
  return useMemo(() => {
    const currency = asCurrency(business.currency);
    const locale = business.locale || 'en-US';
    return {
      currency,
      locale,
      format: (minor: number) => formatMoney(minor, currency, locale),
      toInput: (minor: number) => toDecimalString(minor, currency),
    };
  }, [business.currency, business.locale]);
}

/**
 * A chart axis tick ("$1.2K"): display only, from the exact decimal string.
 * Ticks are chosen by the chart and may fall between cents, so they are rounded first.
 */
export function formatCompactMoney(minor: number, currency: CurrencyCode, locale: string): string {
  const exact = toDecimalString(Math.round(minor), currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(exact as unknown as number);
}
