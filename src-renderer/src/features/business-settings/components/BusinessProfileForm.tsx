import { Button, FileButton, Group, Image, NumberInput, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { LOGO_MAX_BYTES, type Business } from '@shared/contract/business';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { CurrencySelect } from '../../../components/CurrencySelect';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { TimeZoneSelect } from '../../../components/TimeZoneSelect';
import { applyServerError } from '../../../lib/form-errors';
import { useBusiness } from '../api/use-business';
import { useUpdateBusiness } from '../api/use-update-business';
import { businessFormSchema, toBusinessFormValues, toBusinessUpdate, type BusinessFormValues } from '../business-form';

/** Settings → Business: the profile and billing settings, owner only. */
export function BusinessProfileForm() {
  const business = useBusiness();
  if (business.isPending) return <CenteredLoader />;
  if (business.isError) {
    return <QueryError title="Could not load the business settings" error={business.error} onRetry={() => void business.refetch()} />;
  }
  return <BusinessForm business={business.data} />;
}

function BusinessForm({ business }: { business: Business }) {
  const update = useUpdateBusiness();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<BusinessFormValues>({
    initialValues: toBusinessFormValues(business),
    validate: schemaResolver(businessFormSchema, { sync: true }),
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    update.mutate(toBusinessUpdate(values, form.getInitialValues()), {
      onSuccess: (saved) => {
        const next = toBusinessFormValues(saved);
        form.setInitialValues(next);
        form.setValues(next);
        form.resetDirty(next);
        notifications.show({ color: 'green', title: 'Settings saved', message: `${saved.name} is up to date.` });
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Section title="Profile" text="How your business appears in Recurra and on invoices.">
          <TextInput label="Business name" description="Shown in the header and on invoices" withAsterisk {...form.getInputProps('name')} />
          <CurrencySelect
            label="Currency"
            description="Fixed once you have plans or invoices"
            withAsterisk
            {...form.getInputProps('currency')}
          />
          <TimeZoneSelect label="Time zone" description="Billing days start at midnight here" withAsterisk {...form.getInputProps('timezone')} />
          <TextInput label="Locale" description="Number and date format, like en-US or fr-FR" placeholder="en-US" {...form.getInputProps('locale')} />
        </Section>

        <Section title="Details on documents" text="Printed at the top of every invoice, credit note and receipt.">
          <TextInput label="Address" placeholder="Street and number" {...form.getInputProps('addressLine1')} />
          <TextInput label="Address line 2" placeholder="Suite, floor (optional)" {...form.getInputProps('addressLine2')} />
          <TextInput label="City" {...form.getInputProps('city')} />
          <TextInput label="State or region" {...form.getInputProps('region')} />
          <TextInput label="Postal code" {...form.getInputProps('postalCode')} />
          <TextInput label="Country" {...form.getInputProps('country')} />
          <TextInput label="Email" type="email" description="Where customers write to you" {...form.getInputProps('email')} />
          <TextInput label="Phone" {...form.getInputProps('phone')} />
          <TextInput label="Tax ID" description="VAT, GST or EIN number, as your invoices must show it" {...form.getInputProps('taxId')} />
          <LogoField value={form.values.logo} error={form.errors.logo} onChange={(logo) => form.setFieldValue('logo', logo)} onError={(e) => form.setFieldError('logo', e)} />
          <Textarea
            label="Invoice footer"
            description="Bank details, payment instructions or a thank-you, at the bottom of every invoice"
            autosize
            minRows={2}
            maxRows={6}
            style={{ gridColumn: '1 / -1' }}
            {...form.getInputProps('invoiceFooter')}
          />
        </Section>

        <Section title="Invoices" text="Applied to invoices issued from now on." columns={3}>
          <TextInput label="Tax rate" description="Added to every invoice; 0 for none" rightSection="%" {...form.getInputProps('taxRate')} />
          <TextInput label="Invoice number prefix" description="Invoices are numbered like INV-000001" {...form.getInputProps('invoicePrefix')} />
          <NumberInput
            label="Payment terms"
            description="Days a customer has to pay an invoice"
            suffix=" days"
            min={0}
            max={365}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('netTermsDays')}
          />
        </Section>

        <Section title="Billing" text="How Recurra retries failed card payments and how often it checks for work.">
          <TextInput
            label="Retry failed payments after"
            description="Days after the first failure, separated by commas, like 3, 5, 7"
            {...form.getInputProps('dunningDays')}
          />
          <NumberInput
            label="Check for billing every"
            description="While Recurra is open; at most once a minute"
            suffix=" minutes"
            min={1}
            max={1440}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('billingIntervalMinutes')}
          />
        </Section>

        <FormAlert message={formError} />
        <Group justify="flex-end" gap="sm">
          {form.isDirty() && (
            <Button variant="default" onClick={() => form.reset()} disabled={update.isPending}>
              Discard changes
            </Button>
          )}
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A PNG or JPEG up to 200 KB, read as a data: URL, shown as a preview; removable. */
function LogoField({ value, error, onChange, onError }: { value: string | null; error: ReactNode; onChange(logo: string | null): void; onError(message: string): void }) {
  const pick = (file: File | null) => {
    if (!file) return;
    if (file.type !== 'image/png' && file.type !== 'image/jpeg') return onError('The logo must be a PNG or JPEG image');
    if (file.size > LOGO_MAX_BYTES) return onError(`The logo is larger than ${LOGO_MAX_BYTES / 1024} KB; use a smaller image`);
    const reader = new FileReader();
    reader.onload = () => onChange(String(reader.result));
    reader.onerror = () => onError('Could not read that file');
    reader.readAsDataURL(file);
  };
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Logo
      </Text>
      <Group gap="sm" align="center">
        {value ? (
          <Image src={value} alt="Logo preview" h={48} w="auto" maw={160} fit="contain" radius="sm" />
        ) : (
          <Text size="sm" c="dimmed">
            No logo
          </Text>
        )}
        <FileButton onChange={pick} accept="image/png,image/jpeg">
          {(props) => (
            <Button variant="default" size="xs" {...props}>
              {value ? 'Replace logo' : 'Upload logo'}
            </Button>
          )}
        </FileButton>
        {value && (
          <Button variant="subtle" color="red" size="xs" onClick={() => onChange(null)}>
            Remove
          </Button>
        )}
      </Group>
      <Text size="xs" c={error ? 'red' : 'dimmed'}>
        {error ?? `PNG or JPEG, at most ${LOGO_MAX_BYTES / 1024} KB`}
      </Text>
    </Stack>
  );
}

function Section({ title, text, columns = 2, children }: { title: string; text: string; columns?: number; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={3} fz="md">
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {text}
      </Text>
      <SimpleGrid cols={{ base: 1, md: columns }} spacing="md" verticalSpacing="md">
        {children}
      </SimpleGrid>
    </Paper>
  );
}
