// Per-sender token bucket: the emulator answers 429 / 20429 beyond TWILIO_MPS messages per second, as Twilio
// throttles a sender, so a dispatcher's pacing can be measured against it.

/** How early a request may arrive and still count as on time. */
const JITTER_MS = 50;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `ratePerSecond` tokens per second, bursts up to one second's worth (at least one message). */
  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `key` if one is available; otherwise says how long until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const capacity = Math.max(1, this.ratePerSecond);
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * this.ratePerSecond);
    b.at = t;
    this.buckets.set(key, b);
    // A request that arrives a few milliseconds early is network jitter, not a client over its rate: a client pacing
    // at exactly TWILIO_MPS (the outbox) must not be refused because its previous request took longer to arrive.
    if (b.tokens >= 1 - (JITTER_MS / 1000) * this.ratePerSecond) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) / this.ratePerSecond) * 1000) };
  }
}
