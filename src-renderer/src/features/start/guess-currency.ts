import { isCurrencyCode, type CurrencyCode } from '@shared/domain/money';

const EURO_REGIONS = new Set(['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK']);

const REGION_CURRENCY: Record<string, string> = {
  US: 'USD', GB: 'GBP', CA: 'CAD', AU: 'AUD', NZ: 'NZD', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK', PL: 'PLN',
  CZ: 'CZK', MX: 'MXN', BR: 'BRL', IN: 'INR', SG: 'SGD', HK: 'HKD', ZA: 'ZAR', JP: 'JPY', KR: 'KRW', IS: 'ISK',
  KW: 'KWD', BH: 'BHD',
};

/** A first guess at the business's currency from this PC's language ("en-GB" -> GBP); USD when unsure. */
export function guessCurrency(locale: string): CurrencyCode {
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale).maximize().region;
  } catch {
    region = undefined;
  }
  if (!region) return 'USD';
  if (EURO_REGIONS.has(region)) return 'EUR';
  const code = REGION_CURRENCY[region];
  return code && isCurrencyCode(code) ? code : 'USD';
}
