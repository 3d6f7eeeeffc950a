/**
 * --shard K/N and --shards N, shared by `ttm predict --all` and `ttm evaluate`: which shard of
 * the series this process takes. K counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does; when
 * only N is given (--shards or TTM_SHARDS), K is read from JOB_COMPLETION_INDEX, so every pod of
 * an Indexed Job runs the same command line.
 */
import type { Command } from 'commander';
import { shardFromEnv } from '../config/env.js';
import { checkShard, parseShard, type Shard } from '../data/shard.js';
import { UsageError } from '../errors.js';
import { intOption } from './parse-flags.js';

export interface ShardFlags {
  shard?: string;
  shards?: string;
}

export function addShardOptions(cmd: Command): Command {
  return cmd
    .option('--shard <K/N>', 'only shard K of N of the series (K = 0 … N-1; a contiguous block in produto, regiao order)')
    .option('--shards <N>', 'split into N shards and take shard JOB_COMPLETION_INDEX (env TTM_SHARDS; Kubernetes Indexed Jobs)');
}

/** The shard to run, or undefined for the whole run. */
export function resolveShard(flags: ShardFlags): Shard | undefined {
  const env = shardFromEnv();
  const count = flags.shards !== undefined ? intOption('--shards', flags.shards, 1) : env.count !== undefined ? intOption('TTM_SHARDS', env.count, 1) : undefined;
  if (flags.shard !== undefined) {
    if (/^\s*\d+\s*$/.test(flags.shard)) {
      if (count === undefined) throw new UsageError(`--shard ${flags.shard}: how many shards? pass --shard ${flags.shard.trim()}/N or --shards N`);
      return checkShard({ index: Number(flags.shard), count }, '--shard');
    }
    const s = parseShard(flags.shard, '--shard');
    if (flags.shards !== undefined && count !== s.count) throw new UsageError(`--shard ${flags.shard} and --shards ${flags.shards} disagree on the number of shards`);
    return s;
  }
  if (count === undefined) return undefined;
  if (env.index === undefined) {
    throw new UsageError(`${flags.shards !== undefined ? `--shards ${flags.shards}` : `TTM_SHARDS=${env.count}`}: which shard? JOB_COMPLETION_INDEX is not set`, {
      hint: `pass --shard K/${count} (K = 0 … ${count - 1}), or run as a Kubernetes Indexed Job`,
    });
  }
  return checkShard({ index: intOption('JOB_COMPLETION_INDEX', env.index, 0), count }, 'JOB_COMPLETION_INDEX');
}

/** "shard 2/7" for status lines. */
export function shardName(s: Shard): string {
  return `shard ${s.index}/${s.count}`;
}
