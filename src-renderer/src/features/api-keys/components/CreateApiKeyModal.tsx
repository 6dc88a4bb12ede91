import { Alert, Button, Code, CopyButton, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { apiKeyCreateSchema, type ApiKeyCreate } from '@shared/contract/api-keys';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useCreateApiKey } from '../api/use-api-keys';

const EMPTY: ApiKeyCreate = { name: '', scope: 'read' };

/** Makes a key, then shows it once with a copy button: only its hash is kept. */
export function CreateApiKeyModal({ onClose }: { onClose(): void }) {
  const create = useCreateApiKey();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ApiKeyCreate>({ initialValues: EMPTY, validate: schemaResolver(apiKeyCreateSchema, { sync: true }) });
  const made = create.data;

  const submit = form.onSubmit((values) => {
    setFormError(null);
    create.mutate(values, { onError: (error) => setFormError(applyServerError(form, error)) });
  });

  if (made) {
    return (
      <Modal opened onClose={() => undefined} withCloseButton={false} title={`API key “${made.apiKey.name}”`} size="lg" centered>
        <Stack gap="md">
          <Alert variant="light" color="yellow" icon={<IconKey size={18} />} title="Copy the key now: it will not be shown again">
            <Code block fz="sm" fw={700} data-testid="new-api-key" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {made.key}
            </Code>
            <Group mt="sm" justify="center">
              <CopyButton value={made.key}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}>
                    {copied ? 'Copied' : 'Copy key'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Alert>
          <Text size="sm">
            Recurra keeps only a hash of it. {made.apiKey.scope === 'write' ? 'It can read and change' : 'It can only read'} this business&apos;s
            data, and works on the server once this PC has synced.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied the key</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened onClose={onClose} title="Create an API key" size="md" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Name"
            description="What uses it, so you know which to revoke"
            placeholder="Website"
            withAsterisk
            data-autofocus
            {...form.getInputProps('name')}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Scope
            </Text>
            <SegmentedControl
              aria-label="Scope"
              value={form.values.scope}
              onChange={(scope) => form.setFieldValue('scope', scope as ApiKeyCreate['scope'])}
              data={[
                { value: 'read', label: 'Read only' },
                { value: 'write', label: 'Read and write' },
              ]}
            />
            <Text size="xs" c="dimmed">
              {form.values.scope === 'read'
                ? 'Lists and reads customers, plans, subscriptions, invoices and figures.'
                : 'Also creates and edits customers and subscriptions; the PCs pick the changes up with their next sync.'}
            </Text>
          </Stack>
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
