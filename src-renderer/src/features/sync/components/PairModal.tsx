import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect } from 'react';
import { formatDateTime } from '../../../lib/format';
import { usePairPc } from '../api/use-sync';

/** A one-time code (15 minutes) to type on the other PC's "Join a business from another PC". */
export function PairModal({ opened, onClose, server }: { opened: boolean; onClose: () => void; server: string }) {
  const pair = usePairPc();
  const { mutate, reset } = pair;
  useEffect(() => {
    if (opened) mutate({});
    else reset();
  }, [opened, mutate, reset]);

  return (
    <Modal opened={opened} onClose={onClose} title="Pair another PC" size="md">
      <Stack gap="md">
        {pair.isError && <Alert color="red" variant="light">{pair.error.message}</Alert>}
        {pair.isPending && <Text size="sm">Asking the server for a code…</Text>}
        {pair.data && (
          <>
            <Text size="sm">
              On the other PC, open Recurra, choose <b>Join a business from another PC</b>, and type this server address and code:
            </Text>
            <Code block>{server}</Code>
            <Group gap="sm" wrap="nowrap">
              <Code fz={28} fw={700} style={{ letterSpacing: '0.12em' }} data-testid="pairing-code">
                {pair.data.code}
              </Code>
              <CopyButton value={pair.data.code}>
                {({ copied, copy }) => (
                  <Button variant="light" size="xs" onClick={copy} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="sm" c="dimmed" data-testid="pairing-expiry">
              Works once, until {formatDateTime(pair.data.expiresAt)}. The same logins and passwords work on the other PC.
            </Text>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Done
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
