import { ActionIcon, Group, SegmentedControl, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconTrash } from '@tabler/icons-react';
import { MoneyInput } from '../../../components/MoneyInput';
import { useMoney } from '../../../lib/money';
import type { LineValues } from '../charge-form';
import { ProductPicker } from './ProductPicker';

/**
 * One line's fields: free text with a price, or a product picked from the list
 * (its price shown, read-only: the core prices the line from the product);
 * `path` is where it sits in the form ("lines.0").
 */
export function ChargeLineFields<V>({ form, path, line, onRemove, index }: { form: UseFormReturnType<V>; path: string; line: LineValues; onRemove?: () => void; index: number }) {
  const money = useMoney();
  const field = (name: keyof LineValues) => `${path}.${name}`;
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap" data-testid={`charge-line-${index}`}>
      <SegmentedControl
        size="xs"
        mt={4}
        data={[
          { value: 'free', label: 'Text' },
          { value: 'product', label: 'Product' },
        ]}
        aria-label={`Line ${index + 1} kind`}
        {...form.getInputProps(`${path}.kind`)}
      />
      {line.kind === 'free' ? (
        <TextInput style={{ flex: 1 }} aria-label={`Line ${index + 1} description`} placeholder="Description" {...form.getInputProps(`${path}.description`)} />
      ) : (
        <ProductPicker
          label={`Line ${index + 1} product`}
          sku={line.sku}
          error={form.getInputProps(field('sku')).error as React.ReactNode}
          onPick={(product) => {
            // setFieldValue's path type is the form's own; these paths are this line's.
            const set = form.setFieldValue as (path: string, value: string) => void;
            set(field('sku'), product?.sku ?? '');
            set(field('unitAmount'), product ? money.toInput(product.price) : '');
            form.clearFieldError(field('sku'));
          }}
        />
      )}
      <TextInput w={70} aria-label={`Line ${index + 1} quantity`} inputMode="numeric" {...form.getInputProps(`${path}.quantity`)} />
      {line.kind === 'free' ? (
        <MoneyInput w={120} aria-label={`Line ${index + 1} unit price`} {...form.getInputProps(`${path}.unitAmount`)} />
      ) : (
        <MoneyInput w={120} aria-label={`Line ${index + 1} unit price`} value={line.sku ? line.unitAmount : ''} readOnly variant="filled" title="The product's price" tabIndex={-1} />
      )}
      {onRemove && (
        <ActionIcon variant="subtle" color="gray" mt={4} onClick={onRemove} aria-label={`Remove line ${index + 1}`}>
          <IconTrash size={16} />
        </ActionIcon>
      )}
    </Group>
  );
}
