import { Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { syncContract } from '@shared/contract/sync';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useConnectSync } from '../api/use-sync';
import { UploadProgress, type SyncProgressEvent } from './UploadProgress';

const schema = syncContract['sync.connect'].input;

/** Not connected, owner: the server's address, the invite its operator gave, this PC's name. */
export function ConnectForm({ businessName, progress }: { businessName: string; progress: SyncProgressEvent | null }) {
  const connect = useConnectSync();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { server: '', inviteCode: '', deviceName: '' }, validate: schemaResolver(schema, { sync: true }) });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    connect.mutate(
      { server: values.server, inviteCode: values.inviteCode, ...(values.deviceName.trim() ? { deviceName: values.deviceName } : {}) },
      {
        onSuccess: (result) =>
          notifications.show({ color: 'green', title: 'Connected', message: `${businessName} is on ${result.server}: ${result.pushed.toLocaleString()} records uploaded.` }),
        onError: (error) => setFormError(applyServerError(form, error)),
      },
    );
  });

  return (
    <Paper withBorder radius="md" p="lg" maw={640}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={4}>Connect to a sync server</Title>
            <Text size="sm" c="dimmed" mt={4}>
              Work on {businessName} from more than one PC. Each PC keeps working offline; the server passes changes between them. This PC
              becomes the billing PC, the one that issues subscription invoices and charges cards.
            </Text>
          </div>
          <TextInput label="Server address" placeholder="https://sync.example.com" withAsterisk autoComplete="url" {...form.getInputProps('server')} />
          <TextInput
            label="Invite code"
            description="From whoever runs the server (npm run server -- invite)"
            withAsterisk
            autoComplete="off"
            {...form.getInputProps('inviteCode')}
          />
          <TextInput label="This PC's name" description="How the other PCs see this one, e.g. Front desk" placeholder="Front desk" {...form.getInputProps('deviceName')} />
          <FormAlert message={formError} />
          <Button type="submit" loading={connect.isPending} style={{ alignSelf: 'flex-start' }}>
            Connect and upload
          </Button>
          {connect.isPending && <UploadProgress progress={progress} />}
        </Stack>
      </form>
    </Paper>
  );
}
