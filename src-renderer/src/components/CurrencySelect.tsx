import { Select, type SelectProps } from '@mantine/core';
import { CURRENCIES, CURRENCY_CODES } from '@shared/domain/money';

const CURRENCY_OPTIONS = CURRENCY_CODES.map((code) => ({ value: code, label: `${code} · ${CURRENCIES[code].name}` }));

/** The currencies a business can bill in, searchable by code or name. */
export function CurrencySelect(props: Omit<SelectProps, 'data'>) {
  return <Select searchable allowDeselect={false} nothingFoundMessage="No currency by that name" {...props} data={CURRENCY_OPTIONS} />;
}
