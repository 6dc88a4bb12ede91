import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { IconCircleCheck, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { placeServerError } from '../../../lib/form-errors';
import { useSaveUpdateUrl, useUpdateUrl } from '../api/use-update-url';
import { DataCard } from './DataCard';

/** Settings → Data: where this PC looks for new versions of Recurra; empty means it never looks. */
export function UpdatesCard() {
  const current = useUpdateUrl();
  return (
    <DataCard
      testId="updates-card"
      icon={<IconDownload size={22} />}
      title="Updates"
      description="The desktop app can update itself from a web address you trust (your IT person or the sync server's host publishes new versions there). It checks when it starts and once a day, downloads in the background and asks before restarting. Leave it empty to never check."
    >
      {current.data !== undefined && <UpdateUrlForm initial={current.data} />}
    </DataCard>
  );
}

function UpdateUrlForm({ initial }: { initial: string }) {
  const save = useSaveUpdateUrl();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = (updateUrl: string) => {
    setError(null);
    setSaved(false);
    save.mutate(
      { updateUrl },
      {
        onSuccess: () => setSaved(true),
        onError: (e) => setError(placeServerError(e, ['updateUrl']).message),
      },
    );
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit(value.trim());
      }}
    >
      <Stack gap="sm" maw={560}>
        <TextInput
          label="Update address"
          placeholder="https://updates.example.com/recurra"
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setSaved(false);
          }}
          error={error}
        />
        <Group gap="sm">
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
          {value !== '' && (
            <Button
              variant="subtle"
              onClick={() => {
                setValue('');
                submit('');
              }}
            >
              Turn updates off
            </Button>
          )}
        </Group>
        {saved && (
          <Alert color="teal" icon={<IconCircleCheck size={18} />} variant="light">
            {value ? 'Saved. The next check uses this address.' : 'Saved. This PC will not look for updates.'}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
