import { ActionIcon, Group, SegmentedControl, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconTrash } from '@tabler/icons-react';
import { MoneyInput } from '../../../components/MoneyInput';
import type { LineValues } from '../charge-form';

/** One line's fields: free text with a price, or a product by SKU; `path` is where it sits in the form ("lines.0"). */
export function ChargeLineFields<V>({ form, path, line, onRemove, index }: { form: UseFormReturnType<V>; path: string; line: LineValues; onRemove?: () => void; index: number }) {
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
        <TextInput style={{ flex: 1 }} aria-label={`Line ${index + 1} SKU`} placeholder="Product SKU (priced from the product)" {...form.getInputProps(`${path}.sku`)} />
      )}
      <TextInput w={70} aria-label={`Line ${index + 1} quantity`} inputMode="numeric" {...form.getInputProps(`${path}.quantity`)} />
      {line.kind === 'free' && <MoneyInput w={120} aria-label={`Line ${index + 1} unit price`} {...form.getInputProps(`${path}.unitAmount`)} />}
      {onRemove && (
        <ActionIcon variant="subtle" color="gray" mt={4} onClick={onRemove} aria-label={`Remove line ${index + 1}`}>
          <IconTrash size={16} />
        </ActionIcon>
      )}
    </Group>
  );
}
