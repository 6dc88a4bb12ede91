import { create } from 'zustand';

/** Why the last session ended (logged out elsewhere, deactivated...), shown once on the login screen. */
interface SessionNoticeState {
  reason: string | null;
  show(reason: string): void;
  clear(): void;
}

export const useSessionNotice = create<SessionNoticeState>((set) => ({
  reason: null,
  show: (reason) => set({ reason }),
  clear: () => set({ reason: null }),
}));
