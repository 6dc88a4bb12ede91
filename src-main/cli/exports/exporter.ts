import type { CliContext } from '../context';
import type { FilterOptions } from '../commands/customer';

/** What `recurra export KIND` passes a kind: its filters, the date range and the BOM choice, all checked. */
export interface ExportRequest {
  filters: FilterOptions;
  /** YYYY-MM-DD, inclusive. */
  from: string | undefined;
  to: string | undefined;
  bom: boolean;
}

/** One KIND of `recurra export`. The context already sends the file to --out; the kind asks the core to write it. */
export interface Exporter {
  /** What --from and --to select, for the help text ("customers created in the range"). */
  readonly rangeMeans: string;
  /** The filter flags this kind reads; giving another is a usage error rather than silently ignored. */
  readonly filters: readonly (keyof FilterOptions)[];
  /** false when the kind has no use for --from (AR aging is as of one day): giving it is a usage error. */
  readonly usesFrom?: boolean;
  /** false when the kind has no dates at all (products): --from or --to is a usage error. */
  readonly usesRange?: boolean;
  run(ctx: CliContext, request: ExportRequest): Promise<{ rows: number; path: string | null }>;
}
