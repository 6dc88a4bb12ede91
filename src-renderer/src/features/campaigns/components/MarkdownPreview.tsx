import { Paper, Text, Typography } from '@mantine/core';
import { useMemo } from 'react';
import { markdownToHtml } from '@shared/domain/markdown';

/**
 * A campaign body as the email shows it: the same Markdown renderer as the
 * email (src-shared/domain/markdown.ts), which lets no raw HTML from the body
 * through (html: false; unsafe link schemes refused), so setting it as HTML here is safe.
 */
export function MarkdownPreview({ body, minHeight }: { body: string; minHeight?: number }) {
  const html = useMemo(() => markdownToHtml(body), [body]);
  return (
    <Paper withBorder p="sm" radius="sm" mih={minHeight} data-testid="campaign-preview" style={{ overflowWrap: 'anywhere' }}>
      {body.trim() ? (
        <Typography fz="sm">
          <div dangerouslySetInnerHTML={{ __html: html }} />
        </Typography>
      ) : (
        <Text size="sm" c="dimmed">
          Nothing to preview yet.
        </Text>
      )}
    </Paper>
  );
}
