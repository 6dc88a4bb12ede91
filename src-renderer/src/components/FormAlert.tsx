import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';

/** A server message that belongs to no single field, shown above the form's buttons. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
      {message}
    </Alert>
  );
}
