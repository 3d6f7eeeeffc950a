/**
 * Micro-batching: requests queue their series; one model call answers as many as fit in
 * `maxBatch` series. A call starts when the queue holds `maxBatch` series, or when no other
 * prediction request is still on its way in (so a lone request on an idle server never waits),
 * or at the latest `maxWaitMs` after the oldest queued request. One call runs at a time (the
 * backend computes on this thread anyway); a request is never split across calls.
 */
export interface BatcherOptions<T, R> {
  maxBatch: number;
  maxWaitMs: number;
  /** prediction requests received but not yet queued here (being parsed, authenticated, validated) */
  arriving: () => number;
  run: (items: T[]) => Promise<R[]>;
  /** after each call: series count and seconds */
  onCall?: (size: number, seconds: number) => void;
}

interface Job<T, R> {
  items: T[];
  resolve: (r: R[]) => void;
  reject: (e: unknown) => void;
}

export class Batcher<T, R> {
  private queue: Job<T, R>[] = [];
  private queuedItems = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;

  constructor(private readonly o: BatcherOptions<T, R>) {}

  /** Requests queued or inside the running call. */
  get pending(): number {
    return this.queue.length + this.runningJobs;
  }
  private runningJobs = 0;

  submit(items: T[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queuedItems += items.length;
      this.consider();
    });
  }

  /** Whether the queue should go now. */
  private ready(): boolean {
    return this.queuedItems >= this.o.maxBatch || this.o.arriving() <= 0;
  }

  private consider(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.ready()) {
      // setImmediate: requests parsed in the same I/O turn join this call
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.o.maxWaitMs);
    }
  }

  /** Re-check the policy (the app calls this when a prediction request ends without queueing). */
  poke(): void {
    this.consider();
  }

  private flush(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const jobs: Job<T, R>[] = [];
    let n = 0;
    while (this.queue.length > 0 && (jobs.length === 0 || n + this.queue[0].items.length <= this.o.maxBatch)) {
      const j = this.queue.shift()!;
      jobs.push(j);
      n += j.items.length;
    }
    this.queuedItems -= n;
    this.running = true;
    this.runningJobs = jobs.length;
    const t0 = performance.now();
    const all = jobs.flatMap((j) => j.items);
    this.o
      .run(all)
      .then(
        (out) => {
          this.o.onCall?.(all.length, (performance.now() - t0) / 1000);
          let k = 0;
          for (const j of jobs) {
            j.resolve(out.slice(k, k + j.items.length));
            k += j.items.length;
          }
        },
        (err) => {
          for (const j of jobs) j.reject(err);
        },
      )
      .finally(() => {
        this.running = false;
        this.runningJobs = 0;
        this.consider();
      });
  }
}
