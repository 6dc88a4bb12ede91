import { useEffect } from 'react';
import { onEvent } from '../../lib/ipc';
import { useBillingRun } from './stores/billing-run-store';

/** Follows billing-progress while the shell is up; forgets it all when the shell goes (log out, another business). */
export function useBillingProgress(): void {
  useEffect(() => {
    const stop = onEvent('billing-progress', (event) => useBillingRun.getState().progress(event));
    return () => {
      stop();
      useBillingRun.getState().reset();
    };
  }, []);
}
