import { Center, Loader } from '@mantine/core';

export function CenteredLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" mih={160}>
      <Loader aria-label={label} />
    </Center>
  );
}
