import type { RunSummary } from '@shared/domain/billing';
import type { Simulation } from './billing/simulate';

/** Longer-running services a handler may call for its business (they run outside the call's transaction). */
export interface SessionServices {
  billing: {
    run(asOf: string): Promise<RunSummary>;
    simulate(from: string, months: number): Promise<Simulation>;
    isRunning(): boolean;
  };
}
