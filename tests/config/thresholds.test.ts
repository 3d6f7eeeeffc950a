import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, parseThresholds, readThresholds } from '../../src/config/thresholds.js';
import { ConfigError } from '../../src/errors.js';

describe('thresholds', () => {
  it('defaults to the design thresholds', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ mape: 0.2, wape: 0.2, psi: 0.15, error_rate: 0.05, latency_seconds: 2 });
  });

  it('overrides some keys and keeps the defaults of the rest', () => {
    expect(parseThresholds({ mape: 30, psi: null })).toEqual({ ...DEFAULT_THRESHOLDS, mape: 30, psi: null });
  });

  it('rejects unknown keys and negative values, naming each path', () => {
    expect(() => parseThresholds({ mapa: 30 }, 't.json')).toThrow(ConfigError);
    expect(() => parseThresholds({ mapa: 30 }, 't.json')).toThrow(/t.json: invalid thresholds: .*mapa/);
    expect(() => parseThresholds({ wape: -1 }, 't.json')).toThrow(/wape: /);
  });

  it('reads a file and names it when it is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttm-thresholds-'));
    writeFileSync(join(dir, 'ok.json'), '{"latency_seconds": 5}');
    writeFileSync(join(dir, 'bad.json'), '{latency');
    expect((await readThresholds(join(dir, 'ok.json'))).latency_seconds).toBe(5);
    await expect(readThresholds(join(dir, 'bad.json'))).rejects.toThrow(/bad.json: not valid JSON/);
    await expect(readThresholds(join(dir, 'none.json'))).rejects.toThrow(/none.json: cannot read/);
  });
});
