import { Anchor, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { IconCheck, IconCloudOff, IconCopy } from '@tabler/icons-react';
import { QueryError } from '../../../components/QueryError';
import { SectionCard } from '../../../components/SectionCard';
import { useSession } from '../../../lib/auth';
import { useLicensePublicKey } from '../api/use-license-public-key';

/**
 * Settings → API keys: the public key the server signs this business's license
 * files with (spec/server.md "License keys"), to paste into the business's
 * product so it checks a license file offline. The server makes the key pair;
 * this PC learns the public half with a sync.
 */
export function LicensePublicKeyCard() {
  const key = useLicensePublicKey();
  const { business } = useSession();
  return (
    <SectionCard title="License public key">
      <Stack gap="sm" data-testid="license-public-key-card">
        <Text size="sm" maw={720}>
          License files from the server are signed with your business's private key. Paste this public key into your product so it can
          check a license file without going online.
        </Text>
        {key.isError ? (
          <QueryError title="Could not read the public key" error={key.error} onRetry={() => void key.refetch()} />
        ) : key.data?.publicKey ? (
          <Group gap="sm" wrap="nowrap" align="center">
            <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="license-public-key">
              {key.data.publicKey}
            </Code>
            <CopyButton value={key.data.publicKey}>
              {({ copied, copy }) => (
                <Button
                  variant="default"
                  size="sm"
                  onClick={copy}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  color={copied ? 'teal' : undefined}
                >
                  {copied ? 'Copied' : 'Copy public key'}
                </Button>
              )}
            </CopyButton>
          </Group>
        ) : key.data ? (
          <Group gap="sm" wrap="nowrap" data-testid="license-public-key-missing">
            <IconCloudOff size={20} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
            <Text size="sm" c="dimmed">
              Appears after this PC syncs with the server. Not connected yet? See{' '}
              <Anchor component={Link} to="/settings/sync" inherit>
                Settings → Sync
              </Anchor>
              .
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Loading…
          </Text>
        )}
        {key.data?.publicKey && (
          <Text size="xs" c="dimmed">
            Ed25519, base64 of the 32-byte key; the server also gives it at <Code>GET /v1/licenses/public-key?business={business.id}</Code>.
          </Text>
        )}
      </Stack>
    </SectionCard>
  );
}
