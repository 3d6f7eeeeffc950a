import { afterEach, describe, expect, it } from 'vitest';
import { resolveShard } from '../../src/cli/shard-option.js';

const saved = { index: process.env.JOB_COMPLETION_INDEX, count: process.env.TTM_SHARDS };
function env(index?: string, count?: string) {
  if (index === undefined) delete process.env.JOB_COMPLETION_INDEX;
  else process.env.JOB_COMPLETION_INDEX = index;
  if (count === undefined) delete process.env.TTM_SHARDS;
  else process.env.TTM_SHARDS = count;
}

describe('resolveShard (--shard, --shards, JOB_COMPLETION_INDEX, TTM_SHARDS)', () => {
  afterEach(() => env(saved.index, saved.count));

  it('takes K/N from --shard, or K from --shard and N from --shards / TTM_SHARDS', () => {
    env();
    expect(resolveShard({ shard: '2/7' })).toEqual({ index: 2, count: 7 });
    expect(resolveShard({ shard: '2', shards: '7' })).toEqual({ index: 2, count: 7 });
    env(undefined, '5');
    expect(resolveShard({ shard: '4' })).toEqual({ index: 4, count: 5 });
  });

  it('reads K from JOB_COMPLETION_INDEX when only N is given, as every pod of an Indexed Job runs the same command', () => {
    env('1');
    expect(resolveShard({ shards: '3' })).toEqual({ index: 1, count: 3 });
    env('2', '3');
    expect(resolveShard({})).toEqual({ index: 2, count: 3 });
  });

  it('runs unsharded without N, even inside an Indexed Job', () => {
    env();
    expect(resolveShard({})).toBeUndefined();
    env('4');
    expect(resolveShard({})).toBeUndefined();
  });

  it('says what is missing or out of range', () => {
    env();
    expect(() => resolveShard({ shards: '3' })).toThrow(/--shards 3: which shard\? JOB_COMPLETION_INDEX is not set/);
    expect(() => resolveShard({ shard: '1' })).toThrow(/--shard 1: how many shards\?/);
    expect(() => resolveShard({ shard: '1/3', shards: '4' })).toThrow(/disagree/);
    env('5', '3');
    expect(() => resolveShard({})).toThrow(/JOB_COMPLETION_INDEX: shard 5 of 3; expected 0 … 2/);
    env('x', '3');
    expect(() => resolveShard({})).toThrow(/JOB_COMPLETION_INDEX x: expected a number/);
  });
});
