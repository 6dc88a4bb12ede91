import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { User } from '@shared/contract/users';
import { ROLE_LABELS, type Role } from '@shared/domain/roles';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { placeServerError } from '../../../lib/form-errors';
import { useUpdateUser } from '../api/use-update-user';
import { RolePicker } from './RolePicker';

/** Mounted per user (keyed by the caller), so the picker starts at that user's role. */
export function ChangeRoleModal({ user, onClose }: { user: User; onClose: () => void }) {
  const updateUser = useUpdateUser();
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    if (role === user.role) return onClose();
    updateUser.mutate(
      { id: user.id, role },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', title: 'Role changed', message: `${saved.name} is now ${ROLE_LABELS[saved.role].toLowerCase()}.` });
          onClose();
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Change ${user.name}'s role`} centered>
      <PlainForm onSubmit={submit}>
        <Stack gap="sm">
          <RolePicker label="New role" value={role} onChange={setRole} />
          <Text size="xs" c="dimmed">
            The change takes effect at once, even if {user.name} is logged in right now.
          </Text>
          <FormAlert message={error} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={updateUser.isPending}>
              Save role
            </Button>
          </Group>
        </Stack>
      </PlainForm>
    </Modal>
  );
}
