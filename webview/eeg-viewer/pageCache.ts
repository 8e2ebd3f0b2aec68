/**
 * Fetches pages by key with a small LRU cache: a repeated page is shown without a round trip,
 * the same page is never fetched twice at once, and a page nobody waits for any more (the user
 * paged on) is cancelled unless it was a prefetch that may still be wanted. DOM-free.
 */
export class PageCache<P, R> {
  private readonly done = new Map<string, R>();
  private readonly inFlight = new Map<
    string,
    { promise: Promise<R>; controller: AbortController; wanted: boolean }
  >();

  constructor(
    private readonly fetchPage: (params: P, signal: AbortSignal) => Promise<R>,
    private readonly keyOf: (params: P) => string,
    private readonly capacity = 8,
  ) {}

  cached(params: P): R | undefined {
    const key = this.keyOf(params);
    const hit = this.done.get(key);
    if (hit !== undefined) {
      // Refresh its place in the LRU order.
      this.done.delete(key);
      this.done.set(key, hit);
    }
    return hit;
  }

  /** The page the user wants now: cancels other wanted pages still loading. */
  get(params: P): Promise<R> {
    const key = this.keyOf(params);
    for (const [k, f] of this.inFlight) {
      if (k !== key && f.wanted) {
        f.controller.abort();
        this.inFlight.delete(k);
      }
    }
    return this.start(key, params, true);
  }

  /** A page the user will probably want next; errors are ignored. */
  prefetch(params: P): void {
    const key = this.keyOf(params);
    if (this.done.has(key) || this.inFlight.has(key)) return;
    this.start(key, params, false).catch(() => undefined);
  }

  clear(): void {
    for (const f of this.inFlight.values()) f.controller.abort();
    this.inFlight.clear();
    this.done.clear();
  }

  get size(): number {
    return this.done.size;
  }

  private start(key: string, params: P, wanted: boolean): Promise<R> {
    const hit = this.cached(params);
    if (hit !== undefined) return Promise.resolve(hit);
    const running = this.inFlight.get(key);
    if (running) {
      running.wanted ||= wanted;
      return running.promise;
    }
    const controller = new AbortController();
    const promise = this.fetchPage(params, controller.signal).then((result) => {
      if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
      if (!controller.signal.aborted) {
        this.done.set(key, result);
        while (this.done.size > this.capacity) this.done.delete(this.done.keys().next().value as string);
      }
      return result;
    });
    promise.catch(() => {
      if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
    });
    this.inFlight.set(key, { promise, controller, wanted });
    return promise;
  }
}
