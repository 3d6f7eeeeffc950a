/** The micro-batching policy with a fake model call: who shares a call, who waits, for how long. */
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/serve/batcher.js';

function setup(o: { maxBatch?: number; maxWaitMs?: number; arriving?: () => number; callMs?: number } = {}) {
  const calls: number[][] = [];
  const b = new Batcher<number, number>({
    maxBatch: o.maxBatch ?? 32,
    maxWaitMs: o.maxWaitMs ?? 100,
    arriving: o.arriving ?? (() => 0),
    run: async (items) => {
      calls.push(items);
      await new Promise((r) => setTimeout(r, o.callMs ?? 5));
      return items.map((x) => x * 10);
    },
  });
  return { b, calls };
}

describe('Batcher', () => {
  it('a lone request on an idle server does not wait for maxWait', async () => {
    const { b, calls } = setup({ maxWaitMs: 1000, callMs: 0 });
    const t0 = performance.now();
    expect(await b.submit([7])).toEqual([70]);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(calls).toEqual([[7]]);
  });

  it('requests queued while a call runs share the next call; results go back in order', async () => {
    const { b, calls } = setup({ callMs: 20 });
    const first = b.submit([1]);
    await new Promise((r) => setImmediate(r));
    const rest = await Promise.all([b.submit([2]), b.submit([3, 4]), b.submit([5])]);
    expect(await first).toEqual([10]);
    expect(rest).toEqual([[20], [30, 40], [50]]);
    expect(calls).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('never more than maxBatch series per call, and a request is never split', async () => {
    const { b, calls } = setup({ maxBatch: 4, callMs: 5 });
    const all = await Promise.all([b.submit([1, 2, 3]), b.submit([4, 5]), b.submit([6]), b.submit([7, 8, 9, 10, 11, 12])]);
    expect(all.flat()).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(calls.map((c) => c.length)).toEqual([3, 3, 6]);
  });

  it('while other requests are on their way in, it waits for them, at most maxWait', async () => {
    let arriving = 2;
    const { b, calls } = setup({ maxWaitMs: 80, arriving: () => arriving });
    const t0 = performance.now();
    const a = b.submit([1]);
    setTimeout(() => {
      arriving = 1;
      void b.submit([2]);
    }, 10);
    await a;
    const waited = performance.now() - t0;
    expect(calls[0]).toEqual([1, 2]);
    expect(waited).toBeGreaterThanOrEqual(75);
    expect(waited).toBeLessThan(400);
    arriving = 0;
  });

  it('a failed call fails its requests only; the next call runs', async () => {
    let fail = true;
    const b = new Batcher<number, number>({
      maxBatch: 32,
      maxWaitMs: 10,
      arriving: () => 0,
      run: async (items) => {
        if (fail) {
          fail = false;
          throw new Error('boom');
        }
        return items;
      },
    });
    await expect(b.submit([1])).rejects.toThrow('boom');
    expect(await b.submit([2])).toEqual([2]);
  });
});
