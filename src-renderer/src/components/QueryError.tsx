import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';

interface QueryErrorProps {
  title: string;
  error: Error | null;
  onRetry?: () => void;
}

/** A load that failed: what failed, why, and a way to try again. */
export function QueryError({ title, error, onRetry }: QueryErrorProps) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title}>
      <Group justify="space-between" align="center" gap="md">
        <Text size="sm">{error?.message ?? 'Something went wrong.'}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
