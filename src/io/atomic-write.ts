/**
 * Atomic file and directory writes: write to a temporary sibling, fsync, then rename, so a
 * crash leaves either the old file or the new one, never half of one.
 */
import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';

function tempName(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}-${process.pid}-${Date.now().toString(36)}`);
}

/** Write `data` to `path` atomically, creating parent folders. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = tempName(path);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await fs.rename(tmp, path);
}

/**
 * Build a directory atomically: `fill` writes into a fresh temporary folder, which then replaces
 * `dir` (the old one is removed only after the new one is in place). Hidden files of the old
 * directory that the new content does not write (a `.gitkeep` that keeps `final_ttm_model/` in
 * the repository) are carried over, so replacing a model leaves a clean work tree.
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  await fs.mkdir(dirname(dir), { recursive: true });
  const tmp = tempName(dir);
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    await carryHiddenFiles(dir, tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = `${tmp}-old`;
  let hadOld = false;
  try {
    await fs.rename(dir, old);
    hadOld = true;
  } catch {
    // no previous directory
  }
  await fs.rename(tmp, dir);
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

async function carryHiddenFiles(from: string, to: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(from);
  } catch {
    return; // no old directory
  }
  const written = new Set(await fs.readdir(to));
  for (const name of names) {
    if (!name.startsWith('.') || written.has(name)) continue;
    const stat = await fs.stat(join(from, name));
    if (stat.isFile()) await fs.copyFile(join(from, name), join(to, name));
  }
}
