import { createContext, useContext } from 'react';
import type { Session } from '../../../src-shared/contract/auth';
import { roleAtLeast, type Role } from '../../../src-shared/domain/roles';
import { queryClient, rpcKey, useRpcQuery } from './query';

// Who is logged in is app-wide knowledge (like Bulletproof React's lib/auth):
// the session gate loads it once, and every screen under the shell reads it here.

export const sessionKey = rpcKey('auth.session', {});

export function useSessionQuery() {
  return useRpcQuery('auth.session', {}, { staleTime: Infinity });
}

export function setSession(session: Session | null): void {
  queryClient.setQueryData(sessionKey, session);
}

export function refreshSession(): void {
  void queryClient.invalidateQueries({ queryKey: sessionKey });
}

export const SessionContext = createContext<Session | null>(null);

/** The logged-in session; only valid under the shell, which renders only with one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside a logged-in screen');
  return session;
}

/** Whether the logged-in user's role reaches `needed` (the UI hides what main would refuse anyway). */
export function useCan(needed: Role): boolean {
  return roleAtLeast(useSession().user.role, needed);
}
