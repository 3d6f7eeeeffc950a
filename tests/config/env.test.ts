import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hubFromEnv } from '../../src/config/env.js';

describe('hubFromEnv: the token', () => {
  const home = mkdtempSync(join(tmpdir(), 'ttm-hf-home-'));
  afterEach(() => vi.unstubAllEnvs());

  it('reads the file `hf auth login` writes under HF_HOME when HF_TOKEN is not set', () => {
    writeFileSync(join(home, 'token'), 'hf_fromfile\n');
    vi.stubEnv('HF_HOME', home);
    vi.stubEnv('HF_TOKEN', '');
    vi.stubEnv('HUGGING_FACE_HUB_TOKEN', '');
    vi.stubEnv('HF_TOKEN_PATH', '');
    expect(hubFromEnv().token).toBe('hf_fromfile');
    vi.stubEnv('HF_TOKEN', 'hf_fromenv');
    expect(hubFromEnv().token).toBe('hf_fromenv');
  });

  it('has no token when neither is there; HF_TOKEN_PATH points elsewhere', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ttm-hf-empty-'));
    vi.stubEnv('HF_HOME', empty);
    vi.stubEnv('HF_TOKEN', '');
    vi.stubEnv('HUGGING_FACE_HUB_TOKEN', '');
    vi.stubEnv('HF_TOKEN_PATH', '');
    expect(hubFromEnv().token).toBeUndefined();
    writeFileSync(join(empty, 'other'), 'hf_other');
    vi.stubEnv('HF_TOKEN_PATH', join(empty, 'other'));
    expect(hubFromEnv().token).toBe('hf_other');
    rmSync(empty, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });
});
