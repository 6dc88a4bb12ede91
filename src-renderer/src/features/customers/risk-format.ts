import type { RiskScore } from './api/use-risk-scores';

export const RISK_BAND_LABELS = { low: 'Low', medium: 'Medium', high: 'High' } as const;

/** The risk cell in words: the band and score, and what the score means. */
export function riskCell(risk: RiskScore | undefined, state: { ready: boolean | undefined; reason: string | undefined }): { text: string; title: string } {
  if (state.ready === undefined) return { text: '', title: 'Loading the churn risk…' };
  if (!state.ready) return { text: 'Not ready', title: state.reason ?? 'The churn risk is not ready yet.' };
  if (!risk) return { text: '—', title: 'No risk score: this customer pays nothing today.' };
  return {
    text: `${RISK_BAND_LABELS[risk.band]} · ${risk.score}`,
    title: `${risk.score} % chance of cancelling everything within 90 days (${RISK_BAND_LABELS[risk.band].toLowerCase()} risk). Open the customer to see why.`,
  };
}
