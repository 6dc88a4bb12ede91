import { ApiError } from '../errors';

// The license endpoints' rates (spec/server.md "License keys": rate limited
// per key and per IP): fixed windows counted in this process's memory, as the
// API keys' rate is (api/limits.ts), and for the same reason: a database write
// per validation would cost more than the validation. Every request is
// counted the same way, known key or not, so the count says nothing about a key.

export interface LicenseRates {
  /** Requests a minute from one client address (all license endpoints together). */
  perIpPerMinute: number;
  /** Requests a minute naming one license key. */
  perKeyPerMinute: number;
}

export const DEFAULT_LICENSE_RATES: LicenseRates = { perIpPerMinute: 600, perKeyPerMinute: 60 };

export class WindowLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly what: string,
  ) {}

  /** Counts one request of `key`; 429 with Retry-After (the seconds left in the window) once it is over. */
  take(key: string, now: Date): void {
    const window = Math.floor(now.getTime() / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > this.max) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * this.windowMs - now.getTime()) / 1000));
      throw new ApiError(429, 'rate_limit', 'rate_limited', `Over ${this.max} requests a minute ${this.what}; retry in ${retryAfter} s.`, undefined, {
        'retry-after': String(retryAfter),
      });
    }
  }
}

/** The two limits of the license endpoints. */
export class LicenseLimiter {
  private readonly byIp: WindowLimiter;
  private readonly byKey: WindowLimiter;

  constructor(rates: Partial<LicenseRates> = {}) {
    const r = { ...DEFAULT_LICENSE_RATES, ...rates };
    this.byIp = new WindowLimiter(r.perIpPerMinute, 60_000, 'from this address');
    this.byKey = new WindowLimiter(r.perKeyPerMinute, 60_000, 'for this license key');
  }

  ip(address: string, now: Date): void {
    this.byIp.take(address, now);
  }

  key(licenseKey: string, now: Date): void {
    this.byKey.take(licenseKey, now);
  }
}
