import { createContext, useContext } from 'react';
import type { Session } from '@shared/contract/auth';
import { roleAtLeast, type Role } from '@shared/domain/roles';
import { queryClient, rpcKey, useRpcQuery } from './query';

// Who is logged in is app-wide knowledge (like Bulletproof React's lib/auth):
// the session gate loads it once, and every screen under the shell reads it here.

export const sessionKey = rpcKey('auth.session', {});

// Where the session gate sends the window once the session is gone. Set together
// with the session (one state change), so no screen in between sees a half-done logout.
let startScreenAfterSession = '/start';

export function useSessionQuery() {
  return useRpcQuery('auth.session', {}, { staleTime: Infinity });
}

export function setSession(session: Session | null): void {
  if (session) startScreenAfterSession = '/start';
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

/** Queries that need no session and stay valid after logging out. */
const PUBLIC_QUERIES = new Set(['auth.session', 'business.list', 'prefs.get']);

export function startScreenAfterLeaving(): string {
  return startScreenAfterSession;
}

/**
 * Forgets the session on this side; the session gate then shows `startScreen`
 * (a login, the business picker). The previous user's cached data is dropped
 * once the shell has unmounted.
 */
export function leaveSession(startScreen = '/start'): void {
  startScreenAfterSession = startScreen;
  setSession(null);
  setTimeout(() => {
    queryClient.removeQueries({ predicate: (query) => !PUBLIC_QUERIES.has(String(query.queryKey[0])) });
  }, 0);
}
