/** Replacing a directory atomically: new content in, old content out, hidden housekeeping kept. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirAtomic } from '../../src/io/atomic-write.js';

describe('writeDirAtomic', () => {
  it('replaces the content and keeps hidden files the new content does not write', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ttm-atomic-'));
    const dir = join(root, 'final_ttm_model');
    mkdirSync(dir);
    writeFileSync(join(dir, '.gitkeep'), '');
    writeFileSync(join(dir, 'model.safetensors'), 'old');
    writeFileSync(join(dir, 'stale.json'), '{}');
    await writeDirAtomic(dir, async (tmp) => writeFileSync(join(tmp, 'model.safetensors'), 'new'));
    expect(readdirSync(dir).sort()).toEqual(['.gitkeep', 'model.safetensors']);
    expect(readFileSync(join(dir, 'model.safetensors'), 'utf8')).toBe('new');
    expect(readdirSync(root)).toEqual(['final_ttm_model']); // no temporary sibling left
  });

  it('creates the directory when there was none', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ttm-atomic-'));
    const dir = join(root, 'a', 'b');
    await writeDirAtomic(dir, async (tmp) => writeFileSync(join(tmp, 'x'), '1'));
    expect(readdirSync(dir)).toEqual(['x']);
  });
});
