/**
 * Training checkpoints under <results>/checkpoint-<step>/, as Hugging Face's Trainer lays them out.
 * Each is written atomically (a temporary sibling renamed into place) and carries a manifest,
 * checkpoint.json, with every file's size and CRC-32C, so a resume can tell a complete checkpoint
 * from a damaged one. What the files hold (weights, optimizer, scheduler, RNG, data position) is
 * the caller's business: bytes are written as given, anything else as JSON.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeDirAtomic } from '../io/atomic-write.js';
import { CheckpointError, InternalError } from '../errors.js';
import { crc32c } from './crc32c.js';

export const CHECKPOINT_MANIFEST = 'checkpoint.json';
const DIR_RE = /^checkpoint-(\d+)$/;
/** writeDirAtomic's temporary names: .tmp-<name>-<pid>-<time>[-old]. */
const TEMP_RE = /^\.tmp-checkpoint-\d+-(\d+)-[0-9a-z]+(-old)?$/;

/** A file's content: raw bytes, or a value written as JSON. */
export type CheckpointFile = Uint8Array | null | boolean | number | string | object;

export interface CheckpointManifest {
  format: 1;
  step: number;
  /** name → size in bytes and CRC-32C. */
  files: Record<string, { bytes: number; crc32c: number }>;
  /** Whatever the caller wants visible without opening the files (loss, val_loss, epoch, ...). */
  metrics: Record<string, unknown>;
}

export interface CheckpointInfo {
  step: number;
  dir: string;
  manifest: CheckpointManifest;
}

export function checkpointDir(resultsDir: string, step: number): string {
  return join(resultsDir, `checkpoint-${step}`);
}

function toBytes(name: string, content: CheckpointFile): Uint8Array {
  if (content instanceof Uint8Array) return content;
  if (ArrayBuffer.isView(content)) {
    throw new InternalError(`checkpoint file "${name}": pass typed arrays as a Uint8Array view of their bytes`);
  }
  return new TextEncoder().encode(`${JSON.stringify(content, null, 2)}\n`);
}

async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const fh = await fs.open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Write checkpoint-<step>/ with `files` (name → content) atomically; replaces one of the same step. */
export async function writeCheckpoint(
  resultsDir: string,
  step: number,
  files: Record<string, CheckpointFile>,
  metrics: Record<string, unknown> = {},
): Promise<CheckpointInfo> {
  if (!Number.isSafeInteger(step) || step < 0) throw new InternalError(`checkpoint step must be a non-negative integer, got ${step}`);
  const manifest: CheckpointManifest = { format: 1, step, files: {}, metrics };
  const dir = checkpointDir(resultsDir, step);
  await writeDirAtomic(dir, async (tmp) => {
    for (const [name, content] of Object.entries(files)) {
      if (!/^[\w-][\w.-]*$/.test(name) || name === CHECKPOINT_MANIFEST) {
        throw new InternalError(`checkpoint file name "${name}" is not a plain file name or is reserved`);
      }
      const bytes = toBytes(name, content);
      await writeSynced(join(tmp, name), bytes);
      manifest.files[name] = { bytes: bytes.length, crc32c: crc32c(bytes) };
    }
    // The manifest goes last: its presence says every file before it was written.
    await writeSynced(join(tmp, CHECKPOINT_MANIFEST), toBytes(CHECKPOINT_MANIFEST, manifest));
  });
  return { step, dir, manifest };
}

/** The manifest of `dir` if it is a complete checkpoint (manifest valid, every file of its size). */
async function inspect(dir: string, step: number): Promise<CheckpointInfo | undefined> {
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(await fs.readFile(join(dir, CHECKPOINT_MANIFEST), 'utf8')) as CheckpointManifest;
  } catch {
    return undefined;
  }
  if (manifest?.format !== 1 || manifest.step !== step || typeof manifest.files !== 'object' || manifest.files === null) {
    return undefined;
  }
  for (const [name, f] of Object.entries(manifest.files)) {
    const st = await fs.stat(join(dir, name)).catch(() => undefined);
    if (!st?.isFile() || st.size !== f.bytes) return undefined;
  }
  return { step, dir, manifest };
}

/** Complete checkpoints, oldest first. Temporary folders of interrupted writes are ignored. */
export async function listCheckpoints(resultsDir: string): Promise<CheckpointInfo[]> {
  let names: string[];
  try {
    names = await fs.readdir(resultsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found: CheckpointInfo[] = [];
  for (const name of names) {
    const m = DIR_RE.exec(name);
    if (!m) continue;
    const info = await inspect(join(resultsDir, name), Number(m[1]));
    if (info) found.push(info);
  }
  return found.sort((a, b) => a.step - b.step);
}

/** Read one file of a checkpoint, checking its size and CRC against the manifest. */
export async function readCheckpointFile(info: CheckpointInfo, name: string): Promise<Uint8Array> {
  const entry = info.manifest.files[name];
  if (!entry) {
    throw new CheckpointError(`${info.dir}: no file "${name}" (has: ${Object.keys(info.manifest.files).join(', ')})`);
  }
  const bytes = new Uint8Array(await fs.readFile(join(info.dir, name)));
  if (bytes.length !== entry.bytes || crc32c(bytes) !== entry.crc32c) {
    throw new CheckpointError(`${join(info.dir, name)}: damaged (size or CRC differs from ${CHECKPOINT_MANIFEST})`, {
      hint: 'delete this checkpoint folder to resume from the one before',
    });
  }
  return bytes;
}

/** Read one JSON file of a checkpoint. */
export async function readCheckpointJson(info: CheckpointInfo, name: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readCheckpointFile(info, name));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CheckpointError(`${join(info.dir, name)}: not valid JSON`, { cause: err });
  }
}

/** The newest checkpoint whose every file passes its CRC check, for `--resume`. */
export async function latestCheckpoint(resultsDir: string): Promise<CheckpointInfo | undefined> {
  const all = await listCheckpoints(resultsDir);
  for (let i = all.length - 1; i >= 0; i--) {
    try {
      for (const name of Object.keys(all[i].manifest.files)) await readCheckpointFile(all[i], name);
      return all[i];
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
    }
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Keep the newest `keepLast` complete checkpoints and the one at `bestStep`; delete the other
 * complete ones and temporary folders left by writers that are no longer running.
 * Returns the steps deleted.
 */
export async function pruneCheckpoints(
  resultsDir: string,
  { keepLast, bestStep }: { keepLast: number; bestStep?: number | null },
): Promise<number[]> {
  if (!Number.isInteger(keepLast) || keepLast < 1) throw new InternalError(`keepLast must be >= 1, got ${keepLast}`);
  const all = await listCheckpoints(resultsDir);
  const keep = new Set(all.slice(-keepLast).map((c) => c.step));
  if (bestStep !== undefined && bestStep !== null) keep.add(bestStep);
  const removed: number[] = [];
  for (const c of all) {
    if (keep.has(c.step)) continue;
    await fs.rm(c.dir, { recursive: true, force: true });
    removed.push(c.step);
  }
  for (const name of await fs.readdir(resultsDir)) {
    const m = TEMP_RE.exec(name);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) {
      await fs.rm(join(resultsDir, name), { recursive: true, force: true });
    }
  }
  return removed;
}
