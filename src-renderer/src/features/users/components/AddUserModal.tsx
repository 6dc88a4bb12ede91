import { Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { userCreateSchema, type UserCreate } from '@shared/contract/users';
import { PASSWORD_MIN } from '@shared/domain/fields';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useCreateUser } from '../api/use-create-user';
import { RolePicker } from './RolePicker';

const EMPTY: UserCreate = { name: '', email: '', role: 'staff', password: '' };

export function AddUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const createUser = useCreateUser();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<UserCreate>({ initialValues: EMPTY, validate: schemaResolver(userCreateSchema, { sync: true }) });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const submit = form.onSubmit((values) => {
    setFormError(null);
    createUser.mutate(values, {
      onSuccess: (user) => {
        notifications.show({
          color: 'green',
          title: 'User added',
          message: `${user.name} can now log in with ${user.email} and the password you chose.`,
        });
        close();
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Modal opened={opened} onClose={close} title="Add a user" centered size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Name" placeholder="Sam Taylor" data-autofocus withAsterisk {...form.getInputProps('name')} />
          <TextInput label="Email" placeholder="sam@example.com" type="email" withAsterisk {...form.getInputProps('email')} />
          <RolePicker
            value={form.values.role}
            onChange={(role) => form.setFieldValue('role', role)}
            error={form.errors.role}
          />
          <PasswordInput
            label="First password"
            description={`At least ${PASSWORD_MIN} characters. Give it to them; they can change it after logging in.`}
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('password')}
          />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={createUser.isPending}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
