import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, truncate } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHECKPOINT_MANIFEST,
  checkpointDir,
  latestCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  readCheckpointFile,
  readCheckpointJson,
  writeCheckpoint,
} from '../../src/train/checkpoint-store.js';
import { CheckpointError, InternalError } from '../../src/errors.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const weights = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);

describe('train/checkpoint-store', () => {
  let results: string;
  beforeEach(async () => {
    results = await mkdtemp(join(tmpdir(), 'ttm-ckpt-'));
  });
  afterEach(async () => {
    await rm(results, { recursive: true, force: true });
  });

  it('writes bytes as given and other values as JSON, with a manifest of sizes and CRCs', async () => {
    const info = await writeCheckpoint(
      results,
      120,
      { 'model.safetensors': weights(1000), 'scheduler.json': { step: 120 }, 'rng.json': { s: 42, spare: null } },
      { val_loss: 0.5, epoch: 3 },
    );
    expect(info.dir).toBe(checkpointDir(results, 120));
    expect(info.dir.endsWith('checkpoint-120')).toBe(true);
    expect((await readdir(info.dir)).sort()).toEqual([CHECKPOINT_MANIFEST, 'model.safetensors', 'rng.json', 'scheduler.json']);
    expect(new Uint8Array(await readFile(join(info.dir, 'model.safetensors')))).toEqual(weights(1000));
    const manifest = JSON.parse(await readFile(join(info.dir, CHECKPOINT_MANIFEST), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, step: 120, metrics: { val_loss: 0.5, epoch: 3 } });
    expect(manifest.files['model.safetensors'].bytes).toBe(1000);

    const [listed] = await listCheckpoints(results);
    expect(listed.manifest).toEqual(manifest);
    expect(await readCheckpointFile(listed, 'model.safetensors')).toEqual(weights(1000));
    expect(await readCheckpointJson(listed, 'rng.json')).toEqual({ s: 42, spare: null });
    await expect(readCheckpointFile(listed, 'optimizer.safetensors')).rejects.toThrow(/no file "optimizer.safetensors"/);
  });

  it('finds the latest complete checkpoint and ignores half-written leftovers', async () => {
    await writeCheckpoint(results, 10, { 'w.bin': weights(10) });
    await writeCheckpoint(results, 20, { 'w.bin': weights(20) });
    // What a kill -9 inside writeDirAtomic leaves: a temporary sibling without its manifest.
    const tmp = join(results, `.tmp-checkpoint-30-${deadPid()}-lz0abc`);
    await mkdir(tmp);
    await writeFile(join(tmp, 'w.bin'), weights(5));
    // A folder with the right name but no manifest (copied by hand, say) is not a checkpoint either.
    await mkdir(join(results, 'checkpoint-40'));
    await writeFile(join(results, 'checkpoint-40', 'w.bin'), weights(40));
    // Nor one whose file is shorter than its manifest says.
    await writeCheckpoint(results, 50, { 'w.bin': weights(50) });
    await truncate(join(results, 'checkpoint-50', 'w.bin'), 10);
    await writeFile(join(results, 'notes.txt'), 'not a checkpoint');

    expect((await listCheckpoints(results)).map((c) => c.step)).toEqual([10, 20]);
    const latest = await latestCheckpoint(results);
    expect(latest?.step).toBe(20);
    expect(await readCheckpointFile(latest!, 'w.bin')).toEqual(weights(20));
  });

  it('skips a checkpoint whose bytes were damaged in place', async () => {
    await writeCheckpoint(results, 1, { 'w.bin': weights(64) });
    const c2 = await writeCheckpoint(results, 2, { 'w.bin': weights(64) });
    const bad = weights(64);
    bad[5] ^= 0xff;
    await writeFile(join(c2.dir, 'w.bin'), bad);
    await expect(readCheckpointFile(c2, 'w.bin')).rejects.toThrow(CheckpointError);
    expect((await latestCheckpoint(results))?.step).toBe(1);
  });

  it('has no checkpoint in an empty or absent results folder', async () => {
    expect(await latestCheckpoint(results)).toBeUndefined();
    expect(await listCheckpoints(join(results, 'absent'))).toEqual([]);
  });

  it('replaces a checkpoint of the same step atomically', async () => {
    await writeCheckpoint(results, 7, { 'a.json': { v: 1 }, 'b.json': { v: 1 } });
    await writeCheckpoint(results, 7, { 'a.json': { v: 2 } });
    const [c] = await listCheckpoints(results);
    expect(await readCheckpointJson(c, 'a.json')).toEqual({ v: 2 });
    expect((await readdir(c.dir)).sort()).toEqual(['a.json', CHECKPOINT_MANIFEST]);
    expect((await readdir(results)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('rejects unsafe file names and leaves nothing behind', async () => {
    await expect(writeCheckpoint(results, 3, { '../evil': { x: 1 } })).rejects.toThrow(InternalError);
    await expect(writeCheckpoint(results, 3, { [CHECKPOINT_MANIFEST]: {} })).rejects.toThrow(/reserved/);
    await expect(writeCheckpoint(results, 3, { 'w.f32': new Float32Array(2) })).rejects.toThrow(/Uint8Array/);
    expect(await readdir(results)).toEqual([]);
  });

  it('keeps the last K and the best, and clears temporaries of dead writers', async () => {
    for (const step of [100, 200, 300, 400, 500]) await writeCheckpoint(results, step, { 'w.bin': weights(4) });
    const stale = `.tmp-checkpoint-600-${deadPid()}-lz0abc`;
    const ours = `.tmp-checkpoint-700-${process.pid}-lz0abc`;
    await mkdir(join(results, stale));
    await mkdir(join(results, ours));
    const removed = await pruneCheckpoints(results, { keepLast: 2, bestStep: 200 });
    expect(removed).toEqual([100, 300]);
    expect((await listCheckpoints(results)).map((c) => c.step)).toEqual([200, 400, 500]);
    const left = await readdir(results);
    expect(left).not.toContain(stale);
    expect(left).toContain(ours); // a write of this process may be in progress
    expect(await pruneCheckpoints(results, { keepLast: 5 })).toEqual([]);
    await expect(pruneCheckpoints(results, { keepLast: 0 })).rejects.toThrow(InternalError);
  });
});
