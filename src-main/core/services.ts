import type { RunSummary } from '@shared/domain/billing';
import type { Simulation } from './billing/simulate';
import type { SyncStatus, SyncConflict } from '@shared/contract/sync';
import type { SyncIndicator } from '@shared/contract/sync-auto';
import type { SyncNowResult } from './sync-client/sync-client';
import type { EmailServices } from './email/email-handlers';
import type { InsightKind, InsightsAnswers, QueryOf } from './insights/compute';
import type { PreferencesStore } from './ports';

/** Longer-running services a handler may call for its business (they run outside the call's transaction). */
export interface SessionServices {
  billing: {
    run(asOf: string): Promise<RunSummary>;
    simulate(from: string, months: number): Promise<Simulation>;
    isRunning(): boolean;
  };
  /** This business's sync with the server, as the session's user (sync-client/sync-client.ts). */
  sync: {
    connect(input: { server: string; inviteCode: string; deviceName?: string | undefined }): Promise<{ server: string; deviceId: string; pushed: number }>;
    pair(): Promise<{ code: string; expiresAt: string }>;
    now(): Promise<SyncNowResult>;
    status(): Promise<SyncStatus>;
    conflicts(): SyncConflict[];
    digest(): { tables: Record<string, string> };
    takeBillingDevice(): Promise<{ billingDevice: { id: string; name: string } }>;
    disconnect(): Promise<{ disconnected: true }>;
  };
  /** The app's automatic sync of this business (sync-client/auto-sync.ts). */
  autoSync: { indicator(): SyncIndicator };
  /** Email over the owner's SMTP server, the outbox and payment reminders (email/email-service.ts). */
  email: EmailServices;
  /** Every insight, computed off this thread in the app (insights/worker-executor.ts), cached until the books change. */
  insights: {
    run<K extends InsightKind>(query: QueryOf<K>): Promise<InsightsAnswers[K]>;
  };
  /** This PC's preferences (the owner's update address is one). */
  prefs: PreferencesStore;
}
