import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Product } from '@shared/contract/products';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { applyServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useCreateProduct, useUpdateProduct } from '../api';
import { EMPTY_PRODUCT, productFormValues, readProductForm, type ProductFormValues } from '../product-form';

/** Create a product, or edit one (its stock changes only through "Adjust stock"). */
export function ProductFormModal({ product, onClose }: { product?: Product; onClose: () => void }) {
  const money = useMoney();
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const editing = product !== undefined;
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ProductFormValues>({
    initialValues: product ? productFormValues(product, money.toInput) : EMPTY_PRODUCT,
    validate: (v) => readProductForm(v, money.currency, editing).errors,
  });

  const submit = form.onSubmit((values) => {
    const { fields } = readProductForm(values, money.currency, editing);
    if (!fields) return;
    setFormError(null);
    const done = (saved: Product) => {
      notifications.show({ color: 'green', title: editing ? 'Product saved' : 'Product created', message: `${saved.name} (${saved.sku})` });
      onClose();
    };
    const onError = (error: unknown) => setFormError(applyServerError(form, error));
    if (product) {
      const { stock: _stock, ...changes } = fields;
      update.mutate({ id: product.id, ...changes }, { onSuccess: done, onError });
    } else create.mutate(fields, { onSuccess: done, onError });
  });

  return (
    <Modal opened onClose={onClose} title={editing ? `Edit ${product.name}` : 'New product'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="SKU" placeholder="MAT-BLUE" description="The code on the label or barcode" withAsterisk data-autofocus {...form.getInputProps('sku')} />
            <TextInput label="Name" placeholder="Yoga mat, blue" description="As printed on receipts" withAsterisk {...form.getInputProps('name')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <MoneyInput label="Price" withAsterisk {...form.getInputProps('price')} />
            <TextInput label="Category" placeholder="Gear" description="Optional: to group and filter" {...form.getInputProps('category')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {!editing && (
              <NumberInput
                label="Stock on hand"
                description="Leave empty if you don't count this product"
                min={0}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('stock')}
              />
            )}
            <NumberInput label="Low-stock warning at" description="Optional: flag it when stock is at or below this" min={0} allowDecimal={false} allowNegative={false} {...form.getInputProps('lowStockAt')} />
          </SimpleGrid>
          <Textarea label="Description" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {editing ? 'Save' : 'Create product'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
