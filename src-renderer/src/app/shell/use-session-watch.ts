import { useEffect } from 'react';
import { useSessionNotice } from '../../features/start/stores/session-notice-store';
import { leaveSession, refreshSession, useSession } from '../../lib/auth';
import { onEvent, RpcError } from '../../lib/ipc';
import { queryClient } from '../../lib/query';

const isUnauthenticated = (error: unknown): error is RpcError => error instanceof RpcError && error.code === 'unauthenticated';

/**
 * Sends the window back to the login screen, with the reason, when main ends
 * the session (deactivated, password changed elsewhere) or a call finds it
 * gone; and refreshes the session when users or the business change (role, name).
 */
export function useSessionWatch(): void {
  const businessId = useSession().business.id;
  const showNotice = useSessionNotice((s) => s.show);

  useEffect(() => {
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      showNotice(reason);
      leaveSession(`/start/login/${businessId}`);
    };
    const unsubscribers = [
      onEvent('session-ended', ({ reason }) => end(reason)),
      onEvent('data-changed', ({ entities }) => {
        if (entities.includes('users') || entities.includes('business')) refreshSession();
      }),
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === 'updated' && event.action.type === 'error' && isUnauthenticated(event.action.error)) {
          end(event.action.error.message);
        }
      }),
      queryClient.getMutationCache().subscribe((event) => {
        if (event.type === 'updated' && event.action.type === 'error' && isUnauthenticated(event.action.error)) {
          end(event.action.error.message);
        }
      }),
    ];
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [businessId, showNotice]);
}
