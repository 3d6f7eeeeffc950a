/** `ttm models …` and `ttm train --register` through the built CLI, on a real registry folder. */
import { existsSync, readFileSync, rmSync, truncateSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tinyModel } from './cli-model.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
let t: Awaited<ReturnType<typeof tinyModel>>;

describe.skipIf(!built)('ttm models (built CLI)', () => {
  beforeAll(async () => {
    t = await tinyModel('ttm-cli-models-');
  }, 120_000);
  afterAll(() => rmSync(t.dir, { recursive: true, force: true }));

  it('register, list, promote, rollback; --json documents; TTM_REGISTRY as the default', () => {
    const registry = join(t.dir, 'reg');
    const json = (...args: string[]) => {
      const r = runCli(['models', ...args, '--json'], { env: { TTM_REGISTRY: registry } });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    expect(json('register', t.model, '--promote')).toMatchObject({ registry, version: 'v0001', active: true, source: t.model });
    expect(json('register', t.model)).toMatchObject({ version: 'v0002', active: false });
    const list = json('list');
    expect(list).toMatchObject({ registry, active: 'v0001', previous: null });
    expect(list.versions.map((v: { version: string; active: boolean }) => [v.version, v.active])).toEqual([['v0001', true], ['v0002', false]]);
    expect(list.versions[0].metrics.validation.vendas.wape).toBeGreaterThan(0);
    expect(json('promote', 'v0002')).toEqual({ registry, active: 'v0002', previous: 'v0001' });
    expect(json('rollback')).toEqual({ registry, active: 'v0001', previous: 'v0002' });
    const table = runCli(['models', 'list', '--registry', registry]);
    expect(table.stdout).toMatch(/\*\s+v0001/);
    expect(table.stdout).toMatch(/v0002/);
  });

  it('refuses a corrupt model (exit 4) and an unknown version (exit 2), saying why; nothing changes', () => {
    const registry = join(t.dir, 'reg2');
    expect(runCli(['models', 'register', t.model, '--promote', '--registry', registry]).code).toBe(0);
    const bad = join(t.dir, 'bad-model');
    cpSync(t.model, bad, { recursive: true });
    truncateSync(join(bad, 'model.safetensors'), 64);
    const r = runCli(['models', 'register', bad, '--registry', registry]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad-model: refused, not a loadable ttm model/);
    const u = runCli(['models', 'promote', 'v0007', '--registry', registry]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/version v0007 is not registered \(has v0001\)/);
    expect(u.stderr).toMatch(/hint: .*ttm models list/);
    expect(JSON.parse(readFileSync(join(registry, 'active.json'), 'utf8')).version).toBe('v0001');
    expect(runCli(['models', 'rollback', '--registry', registry]).stderr).toMatch(/no previous version/);
  });

  it('ttm train --register --promote registers the trained model', () => {
    const registry = join(t.dir, 'reg3');
    const r = runCli(['train', '--data', t.data, '--output', join(t.dir, 'm2'), '--results', join(t.dir, 'r2'), '--context', '52', '--horizon', '8', '--epochs', '1', '--stride', '8', '--checkpoint-every', '0', '--register', '--promote', '--registry', registry, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(result.registered).toEqual({ version: 'v0001', registry, active: true });
    expect(JSON.parse(readFileSync(join(registry, 'versions', 'v0001', 'registration.json'), 'utf8')).metrics.best_epoch).toBe(result.best_epoch);
    expect(runCli(['train', '--promote']).code).toBe(2);
  }, 240_000);
});
