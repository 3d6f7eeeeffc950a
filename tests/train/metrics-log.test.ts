import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMetrics, metricsLogPath, readMetrics, truncateMetricsAfter } from '../../src/train/metrics-log.js';

describe('train/metrics-log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ttm-metrics-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per record under logs/, creating the folder', async () => {
    const path = metricsLogPath(join(dir, 'results'));
    expect(path).toBe(join(dir, 'results', 'logs', 'metrics.jsonl'));
    await appendMetrics(path, { step: 10, epoch: 1, loss: 0.5, lr: 2e-5 });
    await appendMetrics(path, { step: 20, epoch: 2, loss: NaN, val_loss: 0.25 });
    expect(await readFile(path, 'utf8')).toBe(
      '{"step":10,"epoch":1,"loss":0.5,"lr":0.00002}\n{"step":20,"epoch":2,"loss":null,"val_loss":0.25}\n',
    );
    expect(await readMetrics(path)).toEqual([
      { step: 10, epoch: 1, loss: 0.5, lr: 2e-5 },
      { step: 20, epoch: 2, loss: null, val_loss: 0.25 },
    ]);
  });

  it('reads an absent log as empty and skips a line torn by a kill', async () => {
    const path = metricsLogPath(dir);
    expect(await readMetrics(path)).toEqual([]);
    await appendMetrics(path, { step: 1 });
    await appendFile(path, '{"step":2,"lo');
    expect(await readMetrics(path)).toEqual([{ step: 1 }]);
  });

  it('drops what was logged after the checkpoint a run resumes from', async () => {
    const path = metricsLogPath(dir);
    for (const step of [1, 2, 3, 4]) await appendMetrics(path, { step });
    await appendFile(path, '{"step":5,');
    await truncateMetricsAfter(path, 2);
    await appendMetrics(path, { step: 3, resumed: true });
    expect(await readMetrics(path)).toEqual([{ step: 1 }, { step: 2 }, { step: 3, resumed: true }]);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
  });
});
