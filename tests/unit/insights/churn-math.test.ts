import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, logOdds, logOddsOf, standardize } from '@shared/insights/churn-math';

// The AUC is a Mann-Whitney count over two natively sorted typed arrays (churn-math.ts). It must give exactly,
// to the last bit, what the mid-rank sum over one sort of every score gives (the way it was computed before):
// the backtest's figures and the best single rule must not move.

function byRanks(scores: readonly number[], labels: readonly number[]): number | null {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(0, -0, 0.5, 365));

describe('auc', () => {
  it('equals the mid-rank sum exactly, ties and all', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(score, fc.constantFrom(0, 1)), { maxLength: 300 }), (pairs) => {
        const scores = pairs.map((p) => p[0]);
        const labels = pairs.map((p) => p[1]);
        expect(auc(scores, labels)).toBe(byRanks(scores, labels));
      }),
      { numRuns: 2000, seed: 15 },
    );
  });

  it('gives the textbook values', () => {
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
    expect(auc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([1, 2], [1, 1])).toBeNull();
    expect(auc([], [])).toBeNull();
  });
});

// A customer's score is `logOddsOf(model, x)` (no standardized array per customer): to the last bit what it was.
describe('logOddsOf', () => {
  it('equals logOdds of the standardized features exactly', () => {
    const num = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, -0, 1, 365, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }).chain((p) => fc.tuple(fc.array(num, { minLength: p, maxLength: p }), fc.array(num, { minLength: p, maxLength: p }), fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: p, maxLength: p }), fc.array(num, { minLength: p + 1, maxLength: p + 1 }))), ([x, mean, scale, weights]) => {
        const model = { mean, scale, weights };
        expect(Object.is(logOddsOf(model, x), logOdds(model, standardize(model, x)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
