import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { CustomerView } from '@shared/contract/customer-views';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { showServerError } from '../../../lib/form-errors';
import { useSaveCustomerView } from '../api/use-customer-views';
import { describeList } from '../list-filter';
import { useCustomerList } from '../stores/customer-list-store';

/** Names the list on screen (search, filters, order) so it can be opened again from the Views menu. */
export function SaveViewModal({ views, onClose }: { views: readonly CustomerView[]; onClose(): void }) {
  const save = useSaveCustomerView();
  const filter = useCustomerList((s) => s.filter);
  const sort = useCustomerList((s) => s.sort);
  const [name, setName] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const existing = views.find((v) => v.name.localeCompare(name.trim(), undefined, { sensitivity: 'base' }) === 0);

  const submit = () => {
    if (!name.trim()) return setFieldError('Give the view a name');
    setFieldError(null);
    setError(null);
    save.mutate(
      { name, filter: { ...filter, search: filter.search.trim() }, sort: sort.column, direction: sort.direction, replace: Boolean(existing) },
      {
        onSuccess: (view) => {
          notifications.show({ color: 'green', title: 'View saved', message: `“${view.name}” is in the Views menu.` });
          onClose();
        },
        onError: (e) => showServerError(e, 'name', setFieldError, setError),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title="Save this list as a view" size="md">
      <PlainForm onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">{describeList(filter, sort)}</Text>
          <TextInput
            label="Name"
            placeholder="Owes money, retail"
            description={existing ? `Replaces the view “${existing.name}”.` : 'Everyone in the business sees the views you save.'}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldError}
            maxLength={60}
            data-autofocus
          />
          <FormAlert message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {existing ? 'Replace view' : 'Save view'}
            </Button>
          </Group>
        </Stack>
      </PlainForm>
    </Modal>
  );
}
