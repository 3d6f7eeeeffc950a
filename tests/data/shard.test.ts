import { describe, expect, it } from 'vitest';
import { parseShard, shardItems, shardRange } from '../../src/data/shard.js';

describe('shard', () => {
  it('splits 0 … n-1 into N contiguous blocks that differ in size by at most one and concatenate back in order', () => {
    for (const n of [0, 1, 2, 5, 24, 900]) {
      const items = Array.from({ length: n }, (_, i) => i);
      for (const N of [1, 2, 3, 7, 10]) {
        const parts = Array.from({ length: N }, (_, k) => shardItems(items, { index: k, count: N }));
        expect(parts.flat()).toEqual(items);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives the same block for the same K/N every time (a retried shard redoes exactly its series)', () => {
    expect(shardRange(24, { index: 2, count: 7 })).toEqual({ from: 6, to: 10 });
    expect(shardRange(24, { index: 2, count: 7 })).toEqual(shardRange(24, { index: 2, count: 7 }));
    expect(shardItems(['a', 'b', 'c'], { index: 0, count: 7 })).toEqual([]);
    expect(shardItems(['a', 'b', 'c'], { index: 6, count: 7 })).toEqual(['c']);
  });

  it('parses K/N counted from 0 and names the flag when K or N is out of range', () => {
    expect(parseShard('0/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 6 / 7 ')).toEqual({ index: 6, count: 7 });
    expect(() => parseShard('3/3')).toThrow(/--shard: shard 3 of 3; expected 0 … 2/);
    expect(() => parseShard('1/0')).toThrow(/0 shards/);
    expect(() => parseShard('1of3', 'TTM_SHARD')).toThrow(/TTM_SHARD 1of3: expected K\/N/);
    expect(() => parseShard('-1/3')).toThrow(/expected K\/N/);
  });
});
