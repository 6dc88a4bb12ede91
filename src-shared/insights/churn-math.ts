// The maths of the churn model: logistic regression and AUC, small and deterministic.
//
// Why our own and not ml-logistic-regression (mljs, 2.0.0): it fits by plain gradient
// ascent with a fixed learning rate on the summed gradient (50,000 steps by default), with
// no intercept, no L2 penalty and no convergence test, on ml-matrix copies each step: too
// slow for 100,000 customers and unstable on separable data. Newton's method (IRLS) with an
// L2 penalty on standardized features converges in a few steps, always the same way.

export interface LogisticModel {
  /** Per feature: the mean and spread the features are standardized by. */
  mean: number[];
  scale: number[];
  /** weights[0] is the intercept; weights[1 + j] the weight of standardized feature j. */
  weights: number[];
}

const NEWTON_STEPS = 25;

/** Fits P(y = 1 | x) = sigmoid(w0 + Σ wj·zj), zj standardized, L2 `lambda` on the wj (not the intercept). */
export function fitLogistic(rows: readonly (readonly number[])[], labels: readonly number[], lambda = 1): LogisticModel {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const x of rows) for (let j = 0; j < d; j++) mean[j]! += x[j]! / n;
  for (const x of rows) for (let j = 0; j < d; j++) scale[j]! += (x[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? Math.sqrt(scale[j]!) : 1;
  const p = d + 1;
  const z = new Float64Array(n * p);
  rows.forEach((x, i) => {
    z[i * p] = 1;
    for (let j = 0; j < d; j++) z[i * p + 1 + j] = (x[j]! - mean[j]!) / scale[j]!;
  });
  const w = new Array<number>(p).fill(0);
  const positives = labels.reduce((a, b) => a + b, 0);
  // Start the intercept at the base rate's log-odds (clamped), so the first steps are small.
  const base = Math.min(Math.max(positives / Math.max(n, 1), 1e-4), 1 - 1e-4);
  w[0] = Math.log(base / (1 - base));
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  for (let step = 0; step < NEWTON_STEPS; step++) {
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let s = 0;
      for (let j = 0; j < p; j++) s += w[j]! * z[o + j]!;
      const q = sigmoid(s);
      const r = labels[i]! - q;
      const v = q * (1 - q);
      for (let j = 0; j < p; j++) {
        const zj = z[o + j]!;
        grad[j]! += r * zj;
        const vz = v * zj;
        for (let k = 0; k <= j; k++) hess[j * p + k]! += vz * z[o + k]!;
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hess[k * p + j] = hess[j * p + k]!;
    for (let j = 1; j < p; j++) {
      grad[j]! -= lambda * w[j]!;
      hess[j * p + j]! += lambda;
    }
    hess[0]! += 1e-9;
    const delta = solve(hess, grad, p);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      w[j]! += delta[j]!;
      largest = Math.max(largest, Math.abs(delta[j]!));
    }
    if (largest < 1e-10) break;
  }
  return { mean, scale, weights: w.map((x) => (Number.isFinite(x) ? x : 0)) };
}

/** The standardized features of x. */
export function standardize(model: LogisticModel, x: readonly number[]): number[] {
  return x.map((v, j) => (v - model.mean[j]!) / model.scale[j]!);
}

/** The linear score (log-odds) of standardized features. */
export function logOdds(model: LogisticModel, z: readonly number[]): number {
  let s = model.weights[0]!;
  for (let j = 0; j < z.length; j++) s += model.weights[j + 1]! * z[j]!;
  return s;
}

/**
 * `logOdds(model, standardize(model, x))` without the standardized array: the same operations in the same order
 * (JavaScript does not fuse them), so the same number, for a score of every customer at 100,000.
 */
export function logOddsOf(model: LogisticModel, x: readonly number[]): number {
  const { mean, scale, weights } = model;
  let s = weights[0]!;
  for (let j = 0; j < x.length; j++) s += weights[j + 1]! * ((x[j]! - mean[j]!) / scale[j]!);
  return s;
}

export function predict(model: LogisticModel, x: readonly number[]): number {
  return sigmoid(logOddsOf(model, x));
}

export function sigmoid(s: number): number {
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
}

/** Solves A x = b (A symmetric positive definite, p x p, row-major) by Gaussian elimination with partial pivoting. */
function solve(a: Float64Array, b: Float64Array, p: number): number[] {
  const m = Array.from({ length: p }, (_, i) => [...a.subarray(i * p, i * p + p), b[i]!]);
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const head = m[c]![c]!;
    if (Math.abs(head) < 1e-15) continue;
    for (let r = c + 1; r < p; r++) {
      const f = m[r]![c]! / head;
      if (f === 0) continue;
      for (let k = c; k <= p; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    const head = m[r]![r]!;
    if (Math.abs(head) < 1e-15) continue;
    let s = m[r]![p]!;
    for (let k = r + 1; k < p; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / head;
  }
  return x;
}

/**
 * The area under the ROC curve: the chance a customer who left was scored above one who
 * stayed (ties count half). Null without both kinds.
 */
export function auc(scores: readonly number[], labels: readonly number[]): number | null {
  // The Mann-Whitney count (pairs where the one who left is above the one who stayed, a tie half), with each
  // group's scores in a typed array sorted natively: no comparator called per comparison (the backtest asks for
  // 23 AUCs of up to 40,000 scores). Halves and integers: exactly the mid-rank sum's answer (tests/unit/insights/churn-math.test.ts).
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, n = 0; i < scores.length; i++) {
    if (labels[i] === 1) pos[p++] = scores[i]!;
    else neg[n++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  let below = 0;
  let upTo = 0;
  let pairs = 0;
  for (let i = 0; i < positives; i++) {
    const v = pos[i]!;
    while (below < negatives && neg[below]! < v) below++;
    if (upTo < below) upTo = below;
    while (upTo < negatives && neg[upTo]! <= v) upTo++;
    pairs += below + (upTo - below) / 2;
  }
  return pairs / (positives * negatives);
}

/** A 32-bit FNV-1a hash: picks a deterministic sample of customers by id. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The index of the first element of a sorted array that is >= value. */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many elements of a sorted array lie in (from, to]. */
export function countIn(sorted: ArrayLike<number>, from: number, to: number): number {
  return lowerBound(sorted, to + 1) - lowerBound(sorted, from + 1);
}
