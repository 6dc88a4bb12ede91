import { Anchor, Stepper } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useReducer, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../../../components/PageHeader';
import { useCan } from '../../../../lib/auth';
import { placeServerError } from '../../../../lib/form-errors';
import { useImportCustomers } from '../../api/use-import-customers';
import type { ImportMapping } from '../../import-mapping';
import { importReducer, importStep, INITIAL_IMPORT } from '../../import-state';
import { ImportDone } from './ImportDone';
import { ImportFilePicker } from './ImportFilePicker';
import { ImportReview } from './ImportReview';

const STEP_INDEX = { choose: 0, map: 1, done: 3 } as const;

/** CSV import: choose a file, match its columns, check it (a dry run), import the good rows. */
export function ImportPage() {
  const canImport = useCan('staff');
  const [state, dispatch] = useReducer(importReducer, INITIAL_IMPORT);
  const [error, setError] = useState<string | null>(null);
  const importCustomers = useImportCustomers();
  const step = importStep(state);

  const run = (dryRun: boolean, text: string, mapping?: ImportMapping) => {
    setError(null);
    importCustomers.mutate(
      { csv: text, dryRun, ...(mapping ? { mapping } : {}) },
      {
        onSuccess: (result) => dispatch({ type: dryRun ? 'checked' : 'imported', result }),
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  const chooseFile = (name: string, text: string) => {
    dispatch({ type: 'fileChosen', name, text });
    run(true, text); // the first check also reads the headers and guesses the columns
  };

  const back = (
    <Anchor component={Link} to="/customers" size="sm" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} /> All customers
    </Anchor>
  );

  if (!canImport) {
    return (
      <>
        {back}
        <PageHeader title="Import customers" description="Only the owner and staff can import customers." />
      </>
    );
  }

  return (
    <>
      {back}
      <PageHeader title="Import customers" description="Bring your customer list over from a spreadsheet or another app, saved as CSV." />
      <Stepper active={STEP_INDEX[step]} size="sm" mb="xl" allowNextStepsSelect={false}>
        <Stepper.Step label="Choose a file" description="CSV, with a header row" />
        <Stepper.Step label="Match and check" description="Columns to fields" />
        <Stepper.Step label="Import" description="Good rows are added" />
      </Stepper>
      {step === 'choose' && (
        <ImportFilePicker fileName={state.file?.name ?? null} reading={importCustomers.isPending} error={error} onFile={chooseFile} onError={setError} />
      )}
      {step === 'map' && state.file && (
        <ImportReview
          state={state}
          busy={importCustomers.isPending}
          error={error}
          onMap={(header, target) => dispatch({ type: 'columnMapped', header, target })}
          onCheck={() => run(true, state.file!.text, state.mapping)}
          onImport={() => run(false, state.file!.text, state.mapping)}
          onStartOver={() => dispatch({ type: 'reset' })}
        />
      )}
      {step === 'done' && state.result && <ImportDone result={state.result} onAnother={() => dispatch({ type: 'reset' })} />}
    </>
  );
}
