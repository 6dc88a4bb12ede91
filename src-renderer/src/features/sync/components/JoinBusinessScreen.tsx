import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { syncContract } from '@shared/contract/sync';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useJoinBusiness } from '../api/use-sync';

const schema = syncContract['sync.join'].input;

/** A start screen: downloads a business another PC connected, with the pairing code its owner made there. */
export function JoinBusinessScreen() {
  const join = useJoinBusiness();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { server: '', code: '', deviceName: '' }, validate: schemaResolver(schema, { sync: true }) });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    join.mutate(
      { server: values.server, code: values.code, ...(values.deviceName.trim() ? { deviceName: values.deviceName } : {}) },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'green', title: `${result.business.name} is on this PC`, message: 'Log in with the same email and password as on the other PC.' });
          void navigate(`/start/login/${result.business.id}`);
        },
        onError: (error) => setFormError(applyServerError(form, error)),
      },
    );
  });

  return (
    <Paper withBorder shadow="sm" radius="lg" p={{ base: 'lg', sm: 32 }} maw={480} w="100%">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} fz="h3">
              Join a business from another PC
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              On the PC that has the business, its owner opens Settings › Sync › Pair another PC and reads you the code. The business is
              downloaded here, and it keeps in sync with the other PCs.
            </Text>
          </div>
          <TextInput label="Server address" placeholder="https://sync.example.com" withAsterisk autoComplete="url" {...form.getInputProps('server')} />
          <TextInput label="Pairing code" withAsterisk autoComplete="off" {...form.getInputProps('code')} />
          <TextInput label="This PC's name" description="How the other PCs see this one, e.g. Back office" placeholder="Back office" {...form.getInputProps('deviceName')} />
          <FormAlert message={formError} />
          <Button type="submit" size="md" loading={join.isPending}>
            Join and download
          </Button>
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/start">
              Back
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
