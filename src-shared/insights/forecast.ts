import { mape, monthRange, round2, shiftMonth, Z80 } from './sales-stats';

// Revenue forecast (spec/insights.md): exponential smoothing with an additive
// damped trend (ETS(A,Ad,N)), plus an additive 12-month season once there are
// 24 months (ETS(A,Ad,A)). No library: the npm ETS/Holt-Winters packages are
// unmaintained (nostradamus 0.1.0, holt-winters 0.0.0) or a large WASM ARIMA;
// this is ~100 lines, deterministic, and its smoothing parameters are chosen
// by a grid search on the in-sample one-step error. The 80 % band is the
// model's own forecast variance for each horizon (Hyndman et al. 2008, class
// 1), under a normal error, scaled from the one-step errors on the last
// months held out of the fit (fitWithBand) when they exceed the in-sample ones.

export interface ForecastMonthInput {
  /** YYYY-MM */
  month: string;
  /** MRR at the month's end, minor units. */
  recurring: number;
  /** Counter sales in the month (payments less refunds), minor units. */
  sales: number;
}

export interface ForecastInput {
  asOf: string;
  /** Today in the business's time zone: an as-of date after it has no history to stand on. */
  today: string;
  /** Complete months before the as-of month, in order, with no gaps (a month with nothing is 0). */
  history: readonly ForecastMonthInput[];
  horizon: number;
  /** Set when the books changed currency: the month from which one currency holds, and the codes. */
  currencyChange?: { month: string; from: string; to: string } | null;
}

export interface ForecastMonth {
  month: string;
  mrr: number;
  low: number;
  high: number;
}

export interface ForecastBacktest {
  /** Mean absolute percentage error of this method on held-out months, percent. */
  mape: number | null;
  /** The same for the naive rule (same month last year, or last month's figure under 13 months). */
  naiveMape: number | null;
  naiveMethod: 'seasonal-naive' | 'naive';
  /** Share (0..1) of held-out months that fell inside the 80 % band. */
  coverage: number | null;
  /** How many (origin, month ahead) predictions were checked. */
  heldOut: number;
  text: string;
}

export interface ForecastResult {
  asOf: string;
  ready: boolean;
  reason?: string;
  method: string;
  /** What is forecast, in words. */
  basis: string;
  history: { month: string; mrr: number }[];
  months: ForecastMonth[];
  backtest: ForecastBacktest | null;
}

export const MIN_FORECAST_MONTHS = 6;
export const SEASONAL_MONTHS = 24;
const MIN_BACKTEST_ORIGINS = 3;
const MAX_BACKTEST_ORIGINS = 12;
const BACKTEST_HORIZON = 3;
const SEASON = 12;

const BASIS = 'Monthly revenue: MRR at each month end plus that month’s counter sales (payments less refunds).';

export function forecastRevenue(input: ForecastInput): ForecastResult {
  const base = { asOf: input.asOf, method: 'none', basis: BASIS, history: [] as { month: string; mrr: number }[], months: [], backtest: null };
  if (input.asOf > input.today) {
    return { ...base, ready: false, reason: `The as-of date ${input.asOf} is after today (${input.today}); a forecast starts from what has happened.` };
  }
  let rows = input.history.filter((r) => r.month < input.asOf.slice(0, 7));
  if (input.currencyChange) rows = rows.filter((r) => r.month >= input.currencyChange!.month);
  // The history starts with the first month that had any revenue.
  const first = rows.findIndex((r) => r.recurring + r.sales !== 0);
  rows = first < 0 ? [] : rows.slice(first);
  const history = rows.map((r) => ({ month: r.month, mrr: r.recurring + r.sales }));
  if (history.length < MIN_FORECAST_MONTHS) {
    const since = input.currencyChange ? ` since the currency changed from ${input.currencyChange.from} to ${input.currencyChange.to} in ${input.currencyChange.month}` : '';
    return {
      ...base,
      history,
      ready: false,
      reason: `Needs ${MIN_FORECAST_MONTHS} complete months of revenue history${since}; you have ${history.length}.`,
    };
  }
  const y = history.map((h) => h.mrr);
  const model = fitWithBand(y);
  const horizon = Math.max(1, Math.min(36, Math.floor(input.horizon)));
  const lastMonth = history.at(-1)!.month;
  const months = predict(model, horizon).map((p, i) => ({ month: shiftMonth(lastMonth, i + 1), ...p }));
  return {
    ...base,
    ready: true,
    method: model.seasonal ? 'ets-damped-additive-seasonal' : 'ets-damped-additive',
    history,
    months,
    backtest: backtest(y),
  };
}

export interface EtsModel {
  alpha: number;
  beta: number;
  phi: number;
  gamma: number;
  seasonal: boolean;
  level: number;
  trend: number;
  /** The last SEASON seasonal terms, oldest first (empty when not seasonal). */
  season: number[];
  /** Variance of the in-sample one-step errors. */
  sigma2: number;
}

const ALPHAS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const BETAS = [0, 0.05, 0.1, 0.2, 0.3];
const PHIS = [0.8, 0.9, 0.95, 0.98];
const GAMMAS = [0.05, 0.1, 0.2, 0.3, 0.4];

/** The best-fitting damped-trend model for a series of at least 2 values (seasonal with 24 or more). */
export function fitEts(y: readonly number[]): EtsModel {
  const seasonal = y.length >= SEASONAL_MONTHS;
  let best: EtsModel | null = null;
  let bestSse = Infinity;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      for (const phi of PHIS) {
        for (const gamma of seasonal ? GAMMAS : [0]) {
          const run = runEts(y, alpha, beta, phi, gamma, seasonal);
          if (run.sse < bestSse - 1e-9) {
            bestSse = run.sse;
            best = run;
          }
        }
      }
    }
  }
  return best!;
}

function runEts(y: readonly number[], alpha: number, beta: number, phi: number, gamma: number, seasonal: boolean): EtsModel & { sse: number } {
  let level: number;
  let trend: number;
  let season: number[] = [];
  let start: number;
  if (seasonal) {
    const first = mean(y.slice(0, SEASON));
    const second = mean(y.slice(SEASON, 2 * SEASON));
    level = first;
    trend = (second - first) / SEASON;
    season = y.slice(0, SEASON).map((v, i) => v - (first + trend * (i - (SEASON - 1) / 2)));
    // The level at the end of the first year.
    level = first + trend * ((SEASON - 1) / 2);
    start = SEASON;
  } else {
    level = y[0]!;
    const k = Math.min(3, y.length - 1);
    trend = k > 0 ? (y[k]! - y[0]!) / k : 0;
    start = 1;
  }
  let sse = 0;
  let count = 0;
  for (let t = start; t < y.length; t++) {
    const s = seasonal ? season[t % SEASON]! : 0;
    const fitted = level + phi * trend + s;
    const error = y[t]! - fitted;
    sse += error * error;
    count++;
    const newLevel = alpha * (y[t]! - s) + (1 - alpha) * (level + phi * trend);
    trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
    if (seasonal) season[t % SEASON] = gamma * (y[t]! - newLevel) + (1 - gamma) * s;
    level = newLevel;
  }
  // Rotate so that season[0] is the term of the month after the last one.
  if (seasonal) season = Array.from({ length: SEASON }, (_, i) => season[(y.length + i) % SEASON]!);
  return { alpha, beta, phi, gamma, seasonal, level, trend, season, sigma2: count > 0 ? sse / count : 0, sse };
}

const CV_ORIGINS = 6;

/**
 * fitEts, with the error variance the band uses taken from honest errors when there are enough months:
 * the one-step errors of the months the model did not see (each of the last up to 6 months predicted from
 * the months before it), when larger than the in-sample ones. A seasonal fit on two or three years matches
 * its own past closely, and a band from those residuals alone held a quarter of the months it should.
 */
export function fitWithBand(y: readonly number[]): EtsModel {
  const model = fitEts(y);
  const origins = Math.min(CV_ORIGINS, y.length - MIN_FORECAST_MONTHS);
  if (origins < 3) return model;
  let sse = 0;
  for (let o = y.length - origins; o < y.length; o++) {
    const point = predict(fitEts(y.slice(0, o)), 1)[0]!.mrr;
    sse += (y[o]! - point) ** 2;
  }
  return { ...model, sigma2: Math.max(model.sigma2, sse / origins) };
}

/** Point forecasts and 80 % bands for the next `horizon` months (rounded to minor units, low never below 0). */
export function predict(model: EtsModel, horizon: number): { mrr: number; low: number; high: number }[] {
  const out: { mrr: number; low: number; high: number }[] = [];
  let phiSum = 0;
  let variance = 0;
  for (let h = 1; h <= horizon; h++) {
    phiSum += model.phi ** h;
    const point = model.level + phiSum * model.trend + (model.seasonal ? model.season[(h - 1) % SEASON]! : 0);
    // Forecast variance (class 1 ETS): σ²(1 + Σ_{j<h} c_j²), c_j = α(1 + βφ_j) + γ(1 − α)·[j a multiple of the season].
    if (h > 1) {
      const j = h - 1;
      let phiJ = 0;
      for (let i = 1; i <= j; i++) phiJ += model.phi ** i;
      const c = model.alpha * (1 + model.beta * phiJ) + (model.seasonal && j % SEASON === 0 ? model.gamma * (1 - model.alpha) : 0);
      variance += c * c;
    }
    const half = Z80 * Math.sqrt(model.sigma2 * (1 + variance));
    const mrr = Math.max(0, Math.round(point));
    out.push({ mrr, low: Math.max(0, Math.round(point - half)), high: Math.max(mrr, Math.round(point + half)) });
  }
  return out;
}

/**
 * Rolling-origin backtest on the business's own history: from each of the last origins (up to 12, each
 * leaving at least 6 months to learn from), fit on the months before it and predict the next 1-3 months.
 * MAPE against the naive rule (same month a year earlier when 13 months precede the origin, else the last
 * month), and the share of actual months inside the 80 % band.
 */
export function backtest(y: readonly number[]): ForecastBacktest {
  const origins = Math.min(MAX_BACKTEST_ORIGINS, y.length - MIN_FORECAST_MONTHS);
  const naiveMethod = y.length - origins >= 13 ? 'seasonal-naive' : 'naive';
  if (origins < MIN_BACKTEST_ORIGINS) {
    return {
      mape: null,
      naiveMape: null,
      naiveMethod,
      coverage: null,
      heldOut: 0,
      text: `A backtest needs ${MIN_FORECAST_MONTHS + MIN_BACKTEST_ORIGINS} months of history; you have ${y.length}.`,
    };
  }
  const ours: { actual: number; predicted: number }[] = [];
  const naive: { actual: number; predicted: number }[] = [];
  let inside = 0;
  for (let o = y.length - origins; o < y.length; o++) {
    const train = y.slice(0, o);
    const forecast = predict(fitWithBand(train), BACKTEST_HORIZON);
    for (let h = 1; h <= BACKTEST_HORIZON && o + h - 1 < y.length; h++) {
      const actual = y[o + h - 1]!;
      const f = forecast[h - 1]!;
      ours.push({ actual, predicted: f.mrr });
      if (actual >= f.low && actual <= f.high) inside++;
      const naivePrediction = naiveMethod === 'seasonal-naive' ? y[o + h - 1 - SEASON]! : y[o - 1]!;
      naive.push({ actual, predicted: naivePrediction });
    }
  }
  const result = { mape: mape(ours), naiveMape: mape(naive), naiveMethod, coverage: round2(inside / ours.length), heldOut: ours.length } as const;
  return { ...result, text: backtestText(result, origins) };
}

function backtestText(b: Omit<ForecastBacktest, 'text'>, origins: number): string {
  const naive = b.naiveMethod === 'seasonal-naive' ? 'repeating the same month last year' : 'repeating the last month';
  if (b.mape === null || b.naiveMape === null) return `On your last ${origins} months the actual revenue was 0, so no error can be given as a percentage.`;
  const better = b.mape < b.naiveMape ? 'better than' : b.mape === b.naiveMape ? 'as good as' : 'worse than';
  return (
    `Tested on your last ${origins} months (predicting 1 to ${BACKTEST_HORIZON} months ahead, ${b.heldOut} predictions): ` +
    `off by ${b.mape}% on average, ${better} ${naive} (off by ${b.naiveMape}%); ` +
    `${Math.round((b.coverage ?? 0) * 100)}% of the actual months fell inside the 80% band.`
  );
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The complete months a forecast as of `asOf` learns from, given the first month with any data. */
export function forecastMonths(firstMonth: string | null, asOf: string): string[] {
  if (!firstMonth) return [];
  const last = shiftMonth(asOf.slice(0, 7), -1);
  return firstMonth > last ? [] : monthRange(firstMonth, last);
}
