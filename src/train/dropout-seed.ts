/**
 * The dropout seed of the k-th dropout call of a training step. Shard 0 (the whole batch when
 * training on one thread) keeps the single-thread sequence; other shards get their own.
 */
export function dropoutSeed(seed: number, step: number, shard: number, k: number): number {
  return ((seed * 1_000_003 + step) * 131 + shard * 65_537 + k) % 2_147_483_647;
}
