import { Button, CopyButton, Group } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';
import { downloadText } from '../lib/download';

/** "Copy" and "Save as a file" under a secret shown once (a recovery key, recovery codes). */
export function CopyOrSaveButtons({ copyText, fileText, fileName }: { copyText: string; fileText: () => string; fileName: string }) {
  return (
    <Group gap="xs" mt="sm" justify="center">
      <CopyButton value={copyText}>
        {({ copied, copy }) => (
          <Button size="xs" variant="default" onClick={copy} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
      <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => downloadText(fileText(), fileName, 'text/plain;charset=utf-8')}>
        Save as a file
      </Button>
    </Group>
  );
}
