import { Autocomplete, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { placeServerError } from '../../../lib/form-errors';
import { useBulkChangeCustomers } from '../api/use-bulk-change-customers';
import { useCustomerFacets } from '../api/use-customer-facets';
import { BULK_TEXT, checkBulkValue, needsValue, toBulkChange, type BulkKind } from '../bulk-change';
import { customersCount } from '../customer-format';
import type { BulkTarget } from '../selection';

const VALUE_HINTS = {
  addTag: 'Pick a tag in use or type a new one.',
  removeTag: 'Customers without this tag are left as they are.',
  setSegment: 'Leave it empty to take them out of any segment.',
} as const;

interface BulkChangeModalProps {
  kind: BulkKind;
  /** Either the picked ids or the filter everyone matching was selected by. */
  target: BulkTarget;
  count: number;
  onDone(): void;
  onClose(): void;
}

export function BulkChangeModal({ kind, target, count, onDone, onClose }: BulkChangeModalProps) {
  const bulk = useBulkChangeCustomers();
  const facets = useCustomerFacets();
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = BULK_TEXT[kind];
  const who = customersCount(count);

  const submit = () => {
    const problem = checkBulkValue(kind, value);
    setFieldError(problem);
    if (problem) return;
    setError(null);
    bulk.mutate(
      { ...target, change: toBulkChange(kind, value) },
      {
        onSuccess: ({ updated }) => {
          const message = updated === 0 ? 'Nothing needed changing.' : text.done(customersCount(updated), value.trim());
          notifications.show({ color: 'green', title: 'Customers updated', message });
          onDone();
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={text.title} size="md">
      <PlainForm onSubmit={submit}>
        <Stack gap="md">
          {needsValue(kind) && (
            <Autocomplete
              label={kind === 'setSegment' ? 'Segment' : 'Tag'}
              placeholder={kind === 'setSegment' ? 'Retail' : 'vip'}
              description={VALUE_HINTS[kind]}
              data={(kind === 'setSegment' ? facets.data?.segments : facets.data?.tags) ?? []}
              value={value}
              onChange={setValue}
              error={fieldError}
              data-autofocus
            />
          )}
          {kind === 'deactivate' && (
            <Text size="sm">
              Deactivated customers stay on file with their history; they no longer count as active. You can reactivate them any time.
            </Text>
          )}
          {kind === 'activate' && <Text size="sm">They count as active customers again.</Text>}
          <FormAlert message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={bulk.isPending} color={kind === 'deactivate' ? 'orange' : undefined} data-autofocus={!needsValue(kind) || undefined}>
              {text.verb} {who}
            </Button>
          </Group>
        </Stack>
      </PlainForm>
    </Modal>
  );
}
