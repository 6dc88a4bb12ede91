import type { Output } from '@shared/contract';

type Simulation = Output<'billing.simulate'>;

export interface ForecastRow {
  month: string;
  label: string;
  invoices: number;
  /** Minor units, as the engine computed them; the chart formats them back to money. */
  billed: number;
  collected: number;
}

export function forecastRows(sim: Simulation, monthLabel: (month: string) => string): ForecastRow[] {
  return sim.months.map((m) => ({ month: m.month, label: monthLabel(m.month), invoices: m.invoices, billed: m.amount, collected: m.collected }));
}

/** Sums of integer minor units. */
export function forecastTotals(sim: Simulation): { invoices: number; amount: number; collected: number } {
  return sim.months.reduce((t, m) => ({ invoices: t.invoices + m.invoices, amount: t.amount + m.amount, collected: t.collected + m.collected }), {
    invoices: 0,
    amount: 0,
    collected: 0,
  });
}

