import { Alert, Autocomplete, Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { Customer } from '@shared/domain/customers';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError, placeServerError } from '../../../lib/form-errors';
import { useCreateCustomer } from '../api/use-create-customer';
import { useCustomerFacets } from '../api/use-customer-facets';
import { useUpdateCustomer } from '../api/use-update-customer';
import {
  changedFields,
  rebaseForm,
  EMPTY_CUSTOMER,
  PAYMENT_METHOD_HINTS,
  PAYMENT_METHOD_OPTIONS,
  STATUS_OPTIONS,
  toCreateInput,
  toCustomerFormValues,
  toUpdateInput,
  validateCustomerForm,
  type CustomerFormValues,
} from '../customer-form';

/** Adds a customer (then opens their page), or edits one (sending only what changed). */
export function CustomerFormModal({ customer, onClose }: { customer?: Customer; onClose: () => void }) {
  const navigate = useNavigate();
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const facets = useCustomerFacets();
  const [formError, setFormError] = useState<string | null>(null);
  // What saving compares against, so only the fields typed here are sent. A change made meanwhile
  // elsewhere (another window, a sync from another PC) moves it: untouched fields show the newer
  // values, typed ones stay, and the form says so.
  const [base, setBase] = useState(() => (customer ? toCustomerFormValues(customer) : EMPTY_CUSTOMER));
  const [seen, setSeen] = useState(customer?.updatedAt);
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);
  const form = useForm<CustomerFormValues>({ initialValues: base, validate: validateCustomerForm });
  if (customer && customer.updatedAt !== seen) {
    // Adjusting state while rendering (react.dev, "You Might Not Need an Effect"), once per new version.
    const next = rebaseForm(base, form.getValues(), toCustomerFormValues(customer));
    setSeen(customer.updatedAt);
    setBase(next.base);
    setChangedMeanwhile(true);
    form.setValues(next.values);
  }
  const pending = create.isPending || update.isPending;

  const submit = form.onSubmit((values) => {
    setFormError(null);
    const onError = (error: unknown) => {
      setFormError(applyServerError(form, error));
      // a refused field (a duplicate email) may be scrolled out of view in a long form
      const { field } = placeServerError(error, Object.keys(form.getValues()));
      if (field) form.getInputNode(field)?.focus();
    };
    if (!customer) {
      create.mutate(toCreateInput(values), {
        onSuccess: (created) => {
          notifications.show({ color: 'green', title: 'Customer added', message: `${created.name} is on your list.` });
          onClose();
          void navigate(`/customers/${created.id}`);
        },
        onError,
      });
      return;
    }
    if (Object.keys(changedFields(base, values)).length === 0) return onClose();
    update.mutate(toUpdateInput(customer.id, base, values), {
      onSuccess: (saved) => {
        notifications.show({ color: 'green', title: 'Changes saved', message: `${saved.name} is up to date.` });
        onClose();
      },
      onError,
    });
  });

  const paymentMethod = form.getValues().paymentMethod;

  return (
    <Modal opened onClose={onClose} title={customer ? `Edit ${customer.name}` : 'Add a customer'} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {changedMeanwhile && customer && (
            <Alert color="blue" variant="light" data-testid="changed-meanwhile">
              {customer.name} was just changed elsewhere (another window or another PC). The fields you have not touched now show the
              newer values; what you typed stays, and only that is saved.
            </Alert>
          )}
          <Section title="Contact">
            <TextInput label="Name" placeholder="Jane Doe" withAsterisk data-autofocus {...form.getInputProps('name')} />
            <TextInput label="Email" placeholder="jane@example.com" type="email" withAsterisk {...form.getInputProps('email')} />
            <TextInput label="Phone" placeholder="(555) 010-1234" type="tel" {...form.getInputProps('phone')} />
            <TextInput label="Company" placeholder="Acme Corp" {...form.getInputProps('company')} />
          </Section>

          <Section title="Address">
            <TextInput label="Address line 1" placeholder="12 Main Street" {...form.getInputProps('addressLine1')} />
            <TextInput label="Address line 2" placeholder="Suite, floor, building" {...form.getInputProps('addressLine2')} />
          </Section>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="sm" mt={-8}>
            <TextInput label="City" {...form.getInputProps('city')} />
            <TextInput label="Region or state" {...form.getInputProps('region')} />
            <TextInput label="Postal code" {...form.getInputProps('postalCode')} />
            <TextInput label="Country" {...form.getInputProps('country')} />
          </SimpleGrid>

          <Section title="Billing and grouping">
            <Select
              label="Payment method"
              data={PAYMENT_METHOD_OPTIONS}
              allowDeselect={false}
              description={PAYMENT_METHOD_HINTS[paymentMethod]}
              {...form.getInputProps('paymentMethod')}
            />
            <Select
              label="Status"
              data={STATUS_OPTIONS}
              allowDeselect={false}
              description="Inactive customers stay on file with their history."
              {...form.getInputProps('status')}
            />
            <Autocomplete label="Segment" placeholder="Retail, Wholesale…" data={facets.data?.segments ?? []} {...form.getInputProps('segment')} />
            <TagsInput
              label="Tags"
              placeholder="vip, newsletter… then Enter"
              data={facets.data?.tags ?? []}
              splitChars={[',']}
              clearable
              {...form.getInputProps('tags')}
            />
          </Section>

          <Textarea label="Notes" placeholder="Anything worth remembering about this customer" autosize minRows={2} maxRows={8} {...form.getInputProps('notes')} />

          <FormAlert message={formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {customer ? 'Save changes' : 'Add customer'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={3} fz="sm" c="dimmed" tt="uppercase" lts={0.4}>
        {title}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        {children}
      </SimpleGrid>
    </Stack>
  );
}
