// Pacing for the dispatcher: a token bucket for the provider's send rate, and retry delays with backoff and jitter.

/** Continuous-refill token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** Whole tokens available now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until `n` whole tokens are available (0 when they already are); `n` is capped at the burst. */
  waitMs(n = 1): number {
    this.refill();
    const want = Math.min(n, this.burst);
    return this.tokens >= want ? 0 : Math.ceil(((want - this.tokens) / this.rate) * 1000);
  }
}

/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped, with jitter between half and the
 * full delay so that many messages failing together do not come back together.
 */
export function retryDelayMs(attempt: number, { baseMs = 2_000, capMs = 10 * 60_000, random = Math.random } = {}): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
