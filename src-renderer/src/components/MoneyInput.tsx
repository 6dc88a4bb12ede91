import { TextInput, type TextInputProps } from '@mantine/core';
import { currencyExponent } from '@shared/domain/money';
import { currencySymbol } from '../lib/money-input';
import { useMoney } from '../lib/money';

/** A decimal amount in the business currency, typed as text ("29.00") and parsed exactly on submit. */
export function MoneyInput(props: Omit<TextInputProps, 'leftSection' | 'inputMode'>) {
  const { currency, locale } = useMoney();
  const symbol = currencySymbol(currency, locale);
  return (
    <TextInput
      inputMode="decimal"
      autoComplete="off"
      placeholder={(0).toFixed(currencyExponent(currency))}
      leftSection={<span aria-hidden>{symbol}</span>}
      leftSectionWidth={symbol.length > 1 ? 44 : 32}
      {...props}
    />
  );
}
