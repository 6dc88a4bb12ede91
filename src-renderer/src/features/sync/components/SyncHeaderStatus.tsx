import { Button, Loader, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCloud, IconCloudCheck, IconCloudOff } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { onEvent } from '../../../lib/ipc';
import { queryClient, rpcKey } from '../../../lib/query';
import { useSyncIndicator } from '../api/use-sync';
import { headerText } from '../sync-text';
import { useNow } from '../use-now';

const ICONS = {
  ok: <IconCloudCheck size={16} />,
  waiting: <IconCloudOff size={16} />,
  warning: <IconAlertTriangle size={16} />,
  syncing: <Loader size={14} />,
};
const COLORS = { ok: 'teal', waiting: 'gray', warning: 'orange', syncing: 'blue' } as const;

/**
 * In the top bar for a business that syncs: "Synced 2 min ago", "3 changes
 * waiting", a warning when the server refuses this PC or its clock is far
 * off. Opens Settings > Sync. Nothing for a business that never connected.
 */
export function SyncHeaderStatus() {
  const indicator = useSyncIndicator();
  const navigate = useNavigate();
  // Every local write changes what is waiting: refresh on any change, not only sync's own.
  useEffect(() => onEvent('data-changed', () => void queryClient.invalidateQueries({ queryKey: rpcKey('sync.indicator') })), []);

  const now = useNow();
  const text = indicator.data ? headerText(indicator.data, now) : null;
  if (!text) return null;
  return (
    <Tooltip label={text.detail} multiline w={300} withArrow>
      <Button
        variant="subtle"
        color={COLORS[text.tone]}
        size="xs"
        leftSection={ICONS[text.tone] ?? <IconCloud size={16} />}
        onClick={() => void navigate('/settings/sync')}
        aria-label={`Sync: ${text.detail}`}
        data-testid="sync-status"
        data-tone={text.tone}
      >
        <Text span size="xs" fw={600} visibleFrom="md">
          {text.label}
        </Text>
        {text.short && (
          <Text span size="xs" fw={600} hiddenFrom="md">
            {text.short}
          </Text>
        )}
      </Button>
    </Tooltip>
  );
}
