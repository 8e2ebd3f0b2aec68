/**
 * When to restart a crashed agent: exponential backoff, and at most `maxRestarts` within
 * `windowMs`. Beyond that a crash loop is assumed (bad node path, broken install) and the
 * supervisor gives up until the user asks for a restart. Pure: the caller passes the time.
 */
export interface RestartPolicyOptions {
  maxRestarts: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxRestarts: 5,
  windowMs: 3 * 60_000,
  firstDelayMs: 500,
  maxDelayMs: 16_000,
};

export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number }
  | { action: 'give-up'; restartsInWindow: number; windowMs: number };

export class RestartPolicy {
  private restarts: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Called when the agent died unexpectedly at `now` (ms). */
  onCrash(now: number): RestartDecision {
    const { maxRestarts, windowMs, firstDelayMs, maxDelayMs } = this.options;
    this.restarts = this.restarts.filter((t) => now - t < windowMs);
    if (this.restarts.length >= maxRestarts) {
      return { action: 'give-up', restartsInWindow: this.restarts.length, windowMs };
    }
    this.restarts.push(now);
    const attempt = this.restarts.length;
    return { action: 'restart', delayMs: Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1)), attempt };
  }

  /** A restart the user asked for starts a fresh budget. */
  reset(): void {
    this.restarts = [];
  }
}
