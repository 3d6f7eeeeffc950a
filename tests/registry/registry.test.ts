/** The model registry on a real directory, with a tiny trained model (a few seconds to train). */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWeekly } from '../../src/data/index.js';
import { CheckpointError, ConfigError } from '../../src/errors.js';
import { loadForecaster, predictSeries } from '../../src/predict/index.js';
import {
  ActiveSchema,
  RegistrationSchema,
  activeFile,
  compareVersions,
  listVersions,
  loadActive,
  loadVersion,
  nextVersion,
  promoteVersion,
  readActive,
  registerVersion,
  rollbackVersion,
  versionDir,
} from '../../src/registry/index.js';
import { tinyModel } from '../cli/cli-model.js';

let t: Awaited<ReturnType<typeof tinyModel>>;
let n = 0;
/** A fresh, empty registry directory. */
const fresh = () => join(t.dir, `registry-${++n}`);
/** A copy of the trained model to damage. */
function copyModel(name: string): string {
  const dir = join(t.dir, name);
  cpSync(t.model, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  t = await tinyModel('ttm-registry-');
}, 120_000);
afterAll(() => rmSync(t.dir, { recursive: true, force: true }));

describe('version ids', () => {
  it('are v0001, v0002, … after the highest present, ordered by number', () => {
    expect(nextVersion([])).toBe('v0001');
    expect(nextVersion(['v0001', 'v0009', 'junk'])).toBe('v0010');
    expect(nextVersion(['v1'])).toBe('v0002');
    expect(['v0010', 'v2', 'v10000', 'v0001'].sort(compareVersions)).toEqual(['v0001', 'v2', 'v0010', 'v10000']);
  });
});

describe('model registry', () => {
  it('registers a ttm train directory as the next version, with its metrics and a registration.json', async () => {
    const root = fresh();
    const a = await registerVersion(root, t.model, { now: () => new Date('2026-01-02T03:04:05Z') });
    expect(a).toMatchObject({ version: 'v0001', registered_at: '2026-01-02T03:04:05.000Z' });
    expect(a.metrics).toEqual(JSON.parse(readFileSync(join(t.model, 'metrics.json'), 'utf8')));
    expect(a.source).toBe(t.model);
    const dir = versionDir(root, 'v0001');
    for (const f of ['config.json', 'model.safetensors', 'preprocessor.json', 'forecaster.json', 'metrics.json']) expect(existsSync(join(dir, f))).toBe(true);
    expect(RegistrationSchema.parse(JSON.parse(readFileSync(join(dir, 'registration.json'), 'utf8')))).toEqual(a);
    const b = await registerVersion(root, t.model);
    expect(b.version).toBe('v0002');
    expect(await readActive(root)).toBeNull();
    expect((await listVersions(root)).map((v) => [v.version, v.active])).toEqual([['v0001', false], ['v0002', false]]);
    expect(readdirSync(join(root, 'versions'))).toEqual(['v0001', 'v0002']); // no temporary left
  });

  it('concurrent registrations get distinct versions', async () => {
    const root = fresh();
    const regs = await Promise.all([0, 1, 2].map(() => registerVersion(root, t.model)));
    expect(regs.map((r) => r.version).sort()).toEqual(['v0001', 'v0002', 'v0003']);
  });

  it('promotes, remembers the previous version, and rolls back to it', async () => {
    const root = fresh();
    await registerVersion(root, t.model, { promote: true });
    await registerVersion(root, t.model);
    expect(await readActive(root)).toMatchObject({ version: 'v0001', previous: null });
    expect(await promoteVersion(root, 'v0002')).toEqual({ active: 'v0002', previous: 'v0001' });
    expect((await listVersions(root)).filter((v) => v.active).map((v) => v.version)).toEqual(['v0002']);
    expect(await rollbackVersion(root)).toEqual({ active: 'v0001', previous: 'v0002' });
    expect(ActiveSchema.parse(JSON.parse(readFileSync(activeFile(root), 'utf8')))).toMatchObject({ version: 'v0001', previous: 'v0002' });
    // promoting the active version again keeps what rollback would return to
    expect(await promoteVersion(root, 'v0001')).toEqual({ active: 'v0001', previous: 'v0002' });
  });

  it('refuses unknown versions and a rollback with nothing to return to', async () => {
    const root = fresh();
    await expect(rollbackVersion(root)).rejects.toThrow(/no active version/);
    await registerVersion(root, t.model, { promote: true });
    await expect(promoteVersion(root, 'v0042')).rejects.toThrow(/version v0042 is not registered \(has v0001\)/);
    await expect(promoteVersion(root, 'v0042')).rejects.toThrow(ConfigError);
    await expect(rollbackVersion(root)).rejects.toThrow(/v0001 has no previous version/);
  });

  it.each([
    ['truncated weights', (d: string) => truncateSync(join(d, 'model.safetensors'), 100), /model.safetensors/],
    ['a config.json that is not JSON', (d: string) => writeFileSync(join(d, 'config.json'), '{ nope'), /config.json/],
    ['a missing forecaster.json', (d: string) => rmSync(join(d, 'forecaster.json')), /forecaster.json: cannot read/],
    ['a forecaster.json of another model (more weeks than it forecasts)', (d: string) => {
      const f = JSON.parse(readFileSync(join(d, 'forecaster.json'), 'utf8'));
      writeFileSync(join(d, 'forecaster.json'), JSON.stringify({ ...f, horizon: 99 }));
    }, /horizon 99 but the model .* forecasts 8 weeks/],
    ['a forecaster.json with three channels', (d: string) => {
      const f = JSON.parse(readFileSync(join(d, 'forecaster.json'), 'utf8'));
      writeFileSync(join(d, 'forecaster.json'), JSON.stringify({ ...f, channels: ['a', 'b', 'c'], calibration: [...f.calibration, f.calibration[0]], training_stats: [...f.training_stats, f.training_stats[0]] }));
    }, /3 channels .* takes 2/],
  ])('refuses a directory with %s, naming the problem, and registers nothing', async (name, damage, message) => {
    const root = fresh();
    const bad = copyModel(`bad-${name.replace(/\W+/g, '-')}`);
    damage(bad);
    const err = await registerVersion(root, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(new RegExp(`^${bad}: refused, not a loadable ttm model`));
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('.tmp-register');
    expect(readdirSync(join(root, 'versions'))).toEqual([]);
  });

  it('refuses to promote a version damaged after registration; the active one stays', async () => {
    const root = fresh();
    await registerVersion(root, t.model, { promote: true });
    await registerVersion(root, t.model);
    truncateSync(join(versionDir(root, 'v0002'), 'model.safetensors'), 10);
    await expect(promoteVersion(root, 'v0002')).rejects.toThrow(CheckpointError);
    expect((await readActive(root))?.version).toBe('v0001');
  });

  it('active.json is replaced atomically: a reader during 40 promotions always sees a whole file', async () => {
    const root = fresh();
    await registerVersion(root, t.model, { promote: true });
    await registerVersion(root, t.model);
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        ActiveSchema.parse(JSON.parse(readFileSync(activeFile(root), 'utf8')));
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 40; i++) await promoteVersion(root, i % 2 ? 'v0001' : 'v0002', { check: false });
    reading = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(root).sort()).toEqual(['active.json', 'versions']); // no temporary left
  });

  it('loads the active version: the same forecasts as the directory it was registered from', async () => {
    const root = fresh();
    await registerVersion(root, t.model, { promote: true });
    const { version, forecaster } = await loadActive(root);
    const original = await loadForecaster(t.model);
    try {
      expect(version).toBe('v0001');
      const ds = await loadWeekly(t.data);
      const a = await predictSeries(forecaster, ds, [0, 5], { levels: [0.9] });
      const b = await predictSeries(original, ds, [0, 5], { levels: [0.9] });
      expect(a.predictions).toEqual(b.predictions);
    } finally {
      forecaster.model.dispose();
      original.model.dispose();
    }
    await expect(loadVersion(root, 'v0009')).rejects.toThrow(/not registered/);
    await expect(loadActive(fresh())).rejects.toThrow(/no active version/);
  });
});
