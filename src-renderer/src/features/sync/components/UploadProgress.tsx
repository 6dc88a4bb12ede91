import { Progress, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { EventPayload } from '@shared/contract/events';
import { onEvent } from '../../../lib/ipc';
import { uploadText } from '../sync-text';

export type SyncProgressEvent = EventPayload<'sync-progress'>;

/** The latest sync-progress event while the caller is on screen (a first connect's upload, or a big sync). */
export function useSyncProgress(): SyncProgressEvent | null {
  const [progress, setProgress] = useState<SyncProgressEvent | null>(null);
  useEffect(() => onEvent('sync-progress', setProgress), []);
  return progress;
}

/**
 * A big upload under way: how many changes the server has of how many, and a
 * rough time left. Once the upload has started, nothing is lost by leaving:
 * what the server took stays there, and the next sync sends the rest.
 */
export function UploadProgress({ progress }: { progress: SyncProgressEvent | null }) {
  const text = uploadText(progress);
  if (!text) return null;
  return (
    <Stack gap={6} data-testid="sync-upload-progress" role="status" aria-live="polite">
      <div>
        <Text size="sm" fw={600}>
          Uploading to the sync server
        </Text>
        <Text size="sm">{text.label}</Text>
      </div>
      <Progress
        value={text.percent ?? 100}
        striped={text.percent === null}
        animated={text.percent === null}
        size="lg"
        radius="xl"
        aria-label="Upload to the sync server"
        aria-valuetext={text.label}
      />
      {text.percent !== null && (
        <Text size="xs" c="dimmed">
          You can keep working, leave this page or close Recurra: what is uploaded stays on the server, and the rest goes with the next sync.
        </Text>
      )}
    </Stack>
  );
}
