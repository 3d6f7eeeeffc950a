/** `ttm models list | register DIR | promote VERSION | rollback`: the model registry. */
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { addBackendOption, startBackend } from '../backend-option.js';

interface RegistryFlags {
  registry?: string;
  json?: boolean;
  backend?: string;
}

/** --registry, else TTM_REGISTRY, else the default folder. */
export async function registryDir(flag: string | undefined): Promise<string> {
  const { registryFromEnv } = await import('../../config/env.js');
  return flag ?? registryFromEnv() ?? DEFAULT_PATHS.registry;
}

const examples = (cmd: Command, ...lines: string[]) => cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);

const registryOption = (cmd: Command) =>
  cmd.option('--registry <dir>', `model registry directory (env TTM_REGISTRY; default ${DEFAULT_PATHS.registry})`).option('--json', 'one JSON document on stdout');

/** Mean validation WAPE over channels from a metrics.json, or undefined. */
function meanWape(metrics: Record<string, unknown>): number | undefined {
  const v = metrics.validation as Record<string, { wape?: unknown }> | undefined;
  const w = v ? Object.values(v).map((m) => m?.wape).filter((x): x is number => typeof x === 'number') : [];
  return w.length ? w.reduce((a, b) => a + b, 0) / w.length : undefined;
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('model registry: list versions, register a trained model, promote one, roll back')
    .addHelpText('after', `
A registry is a folder: versions/<version>/ (a ttm train model directory plus registration.json)
and active.json (the version ttm serve --registry answers with). Versions are v0001, v0002, …
in order of registration.

Examples:
  $ ttm models register final_ttm_model --promote
  $ ttm models list
  $ ttm models promote v0002
  $ ttm models rollback
  $ TTM_REGISTRY=/srv/ttm/registry ttm models list --json`);

  registryOption(examples(models.command('list').description('registered versions, their validation metrics, and which one is active'), 'ttm models list', 'ttm models list --registry /srv/ttm/registry --json')).action(async (flags: RegistryFlags) => {
    const [{ listVersions, readActive }, out] = await Promise.all([import('../../registry/index.js'), import('../output.js')]);
    const dir = await registryDir(flags.registry);
    const [versions, active] = await Promise.all([listVersions(dir), readActive(dir)]);
    if (flags.json) return out.printJson({ registry: dir, active: active?.version ?? null, previous: active?.previous ?? null, versions });
    if (versions.length === 0) return out.status(`${dir}: no versions yet (ttm models register DIR)`);
    const rows = versions.map((v) => [v.active ? '*' : '', v.version, v.registered_at.slice(0, 19).replace('T', ' '), meanWape(v.metrics)?.toFixed(3) ?? '', v.source]);
    out.printLine(out.formatTable(['', 'version', 'registered (UTC)', 'wape', 'source'], rows));
  });

  registryOption(addBackendOption(examples(models.command('register').argument('<dir>', 'model directory written by ttm train').description('copy a trained model into the registry as the next version (checked: it must load)'), 'ttm models register final_ttm_model', 'ttm models register final_ttm_model --promote --registry /srv/ttm/registry')))
    .option('--promote', 'also make it the active version')
    .action(async (modelDir: string, flags: RegistryFlags & { promote?: boolean }) => {
      const dir = await registryDir(flags.registry);
      await startBackend(flags.backend);
      const [{ registerVersion }, out] = await Promise.all([import('../../registry/index.js'), import('../output.js')]);
      const r = await registerVersion(dir, modelDir, { promote: Boolean(flags.promote) });
      if (flags.json) return out.printJson({ registry: dir, ...r, active: Boolean(flags.promote) });
      out.printLine(`${out.paint.green('registered')} ${r.version} from ${r.source}${flags.promote ? ' (active)' : ''}`);
    });

  registryOption(addBackendOption(examples(models.command('promote').argument('<version>', 'e.g. v0002').description('make a registered version the active one (checked: it must load)'), 'ttm models promote v0002'))).action(
    async (version: string, flags: RegistryFlags) => {
      const dir = await registryDir(flags.registry);
      await startBackend(flags.backend);
      const [{ promoteVersion }, out] = await Promise.all([import('../../registry/index.js'), import('../output.js')]);
      const r = await promoteVersion(dir, version);
      if (flags.json) return out.printJson({ registry: dir, ...r });
      out.printLine(`${out.paint.green('active')} ${r.active}${r.previous ? ` (previous ${r.previous})` : ''}`);
    },
  );

  registryOption(addBackendOption(examples(models.command('rollback').description('make the previous version active again (a second rollback undoes the first)'), 'ttm models rollback --json'))).action(async (flags: RegistryFlags) => {
    const dir = await registryDir(flags.registry);
    await startBackend(flags.backend);
    const [{ rollbackVersion }, out] = await Promise.all([import('../../registry/index.js'), import('../output.js')]);
    const r = await rollbackVersion(dir);
    if (flags.json) return out.printJson({ registry: dir, ...r });
    out.printLine(`${out.paint.green('active')} ${r.active} (rolled back from ${r.previous})`);
  });
}
