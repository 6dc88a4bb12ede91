import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { z } from 'zod';
import type { User } from '@shared/contract/users';
import { PASSWORD_MIN, passwordSchema } from '@shared/domain/fields';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useResetUserPassword } from '../api/use-reset-user-password';

const resetSchema = z.object({ password: passwordSchema });

/** The owner sets a new password for someone who forgot theirs (also unlocks them). */
export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const reset = useResetUserPassword();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: schemaResolver(resetSchema, { sync: true }) });

  const submit = form.onSubmit(({ password }) => {
    setFormError(null);
    reset.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Password reset', message: `Give ${user.name} the new password.` });
          onClose();
        },
        onError: (error) => setFormError(applyServerError(form, error)),
      },
    );
  });

  return (
    <Modal opened onClose={onClose} title={`Reset ${user.name}'s password`} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            {user.name} will be logged out everywhere and can log in with this password, then change it from their menu.
          </Text>
          <PasswordInput
            label="New password"
            description={`At least ${PASSWORD_MIN} characters`}
            autoComplete="new-password"
            data-autofocus
            {...form.getInputProps('password')}
          />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={reset.isPending}>
              Reset password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
