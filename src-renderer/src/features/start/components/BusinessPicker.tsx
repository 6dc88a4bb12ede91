import { Anchor, Badge, Button, Divider, Group, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { IconBuildingStore, IconChevronRight, IconCloudDownload, IconLock, IconPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useBusinesses } from '../api/use-businesses';
import { useLastBusinessId } from '../api/use-last-business-id';
import { orderBusinesses } from '../order-businesses';
import { useSessionNotice } from '../stores/session-notice-store';
import classes from './BusinessPicker.module.css';
import { StartCard } from './StartLayout';
import { LOCKED_EXPLANATION, UnlockBusinessModal } from './UnlockBusiness';

/** `restore`: the restore-from-backup action, which another feature provides (composed by the router). */
export function BusinessPicker({ restore }: { restore?: ReactNode }) {
  const businesses = useBusinesses();
  const lastBusinessId = useLastBusinessId();
  const navigate = useNavigate();
  const clearNotice = useSessionNotice((s) => s.clear);

  if (businesses.isPending) return <CenteredLoader />;

  const list = orderBusinesses(businesses.data ?? [], lastBusinessId.data);
  return (
    <StartCard>
      <Stack gap="lg">
        <div>
          <Title order={2} fz="h3">
            Choose a business
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            These are the businesses kept on this PC.
          </Text>
        </div>

        {businesses.isError && (
          <QueryError title="Could not list the businesses" error={businesses.error} onRetry={() => void businesses.refetch()} />
        )}

        {list.length === 0 && !businesses.isError && (
          <Text size="sm">
            There is no business on this PC yet.{' '}
            <Anchor component={Link} to="/start/new">
              Create the first one
            </Anchor>
            .
          </Text>
        )}

        <Stack gap="xs">
          {list.map((business) => {
            const isLast = business.id === lastBusinessId.data;
            if (business.locked) {
              // A file found without its registry row: only its file name is readable until it is unlocked.
              return business.nameKnown ? (
                <LockedOption key={business.id} businessId={business.id} businessName={business.name} detail={`${business.currency} · ${business.timezone?.replaceAll('_', ' ')}`} />
              ) : (
                <LockedOption key={business.id} businessId={business.id} businessName="A business (name unknown)" detail={`File ${business.id}.sqlite: its name shows once it is unlocked`} />
              );
            }
            return (
              <UnstyledButton
                key={business.id}
                className={`${classes.option} ${isLast ? classes.lastUsed : ''}`}
                onClick={() => {
                  clearNotice();
                  void navigate(`/start/login/${business.id}`);
                }}
                data-autofocus={isLast || undefined}
                autoFocus={isLast}
              >
                <Group wrap="nowrap" gap="md">
                  <ThemeIcon variant="light" size={38} radius="md">
                    <IconBuildingStore size={20} />
                  </ThemeIcon>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Group gap={8} wrap="nowrap">
                      <Text fw={600} truncate>
                        {business.name}
                      </Text>
                      {isLast && (
                        <Badge size="xs" variant="light">
                          Last used
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed" truncate>
                      {business.currency} · {business.timezone?.replaceAll('_', ' ')}
                    </Text>
                  </div>
                  <IconChevronRight size={18} color="var(--mantine-color-dimmed)" />
                </Group>
              </UnstyledButton>
            );
          })}
        </Stack>

        <Divider />
        <Button component={Link} to="/start/new" variant="light" leftSection={<IconPlus size={16} />}>
          Create a business
        </Button>
        {restore}
        <Button component={Link} to="/start/join" variant="subtle" leftSection={<IconCloudDownload size={16} />}>
          Join a business from another PC
        </Button>
      </Stack>
    </StartCard>
  );
}

/** A business this PC cannot open: no login, the way to unlock it instead. */
function LockedOption({ businessId, businessName, detail }: { businessId: string; businessName: string; detail: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className={`${classes.option} ${classes.locked}`} role="group" aria-label={`${businessName}, locked on this PC`}>
      <Group wrap="nowrap" gap="md" align="flex-start">
        <ThemeIcon variant="light" color="yellow" size={38} radius="md">
          <IconLock size={20} />
        </ThemeIcon>
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <div>
            {/* Wrapped, never cut: a locked card is read to decide what to do (a name cut to "A business (name…" and a
                badge to "LOCKED ON…" said nothing). */}
            <Group gap={8} wrap="wrap" style={{ rowGap: 2 }}>
              <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                {businessName}
              </Text>
              <Badge size="xs" variant="light" color="yellow" leftSection={<IconLock size={10} />}>
                Locked on this PC
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {detail}
            </Text>
          </div>
          <Text size="xs" c="dimmed">
            {LOCKED_EXPLANATION}
          </Text>
          <Group>
            <Button size="xs" variant="light" color="yellow" leftSection={<IconLock size={14} />} onClick={() => setOpen(true)}>
              Unlock with recovery key
            </Button>
          </Group>
        </Stack>
      </Group>
      {open && <UnlockBusinessModal businessId={businessId} businessName={businessName} onClose={() => setOpen(false)} />}
    </div>
  );
}
