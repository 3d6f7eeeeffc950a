/** `ttm pull`: fetch the pretrained Granite TTM checkpoint that fits the data's context and horizon. */
import { SCHEMA_VERSION } from '../../config/schema-version.js';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';

interface PullFlags {
  context: string;
  horizon: string;
  freq: string;
  repo: string;
  revision?: string;
  preferL1?: boolean;
  out?: string;
  cacheDir?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('pull')
    .description('download a pretrained Granite TTM checkpoint from the Hugging Face Hub (chosen as get_model does)')
    .option('--context <n>', 'weeks of history the model will see; chooses the checkpoint', '104')
    .option('--horizon <n>', 'weeks to forecast; chooses the checkpoint', '26')
    .option('--freq <code>', 'data frequency (W, D, h, ...): frequency token and checkpoint family', 'W')
    .option('--repo <id>', 'model card on the Hub', 'ibm-granite/granite-timeseries-ttm-r2')
    .option('--revision <rev>', 'branch, tag or commit to fetch instead of choosing one')
    .option('--prefer-l1', 'prefer checkpoints trained with L1 (MAE) loss')
    .option('--out <dir>', 'also copy config.json and model.safetensors into this folder')
    .option('--cache-dir <dir>', 'Hub cache folder (default $HF_HUB_CACHE or $HF_HOME/hub)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nEnvironment: HF_ENDPOINT, HF_HOME, HF_HUB_CACHE, HF_TOKEN (gated repos), HF_HUB_OFFLINE=1 (cache only).')
    .action(async (flags: PullFlags) => {
      const context = positiveInt('--context', flags.context);
      const horizon = positiveInt('--horizon', flags.horizon);
      const [{ pull, adaptLengths }, { hubFromEnv }, out, { pullProgress }] = await Promise.all([
        import('../../hub/index.js'),
        import('../../config/env.js'),
        import('../output.js'),
        import('./pull-progress.js'),
      ]);
      const hub = { ...hubFromEnv(), ...(flags.cacheDir ? { cache: flags.cacheDir } : {}) };
      const progress = pullProgress(out);
      const r = await pull({
        repo: flags.repo,
        revision: flags.revision,
        context,
        horizon,
        freq: flags.freq,
        preferL1: Boolean(flags.preferL1),
        out: flags.out,
        hub,
        onEvent: progress.onEvent,
      }).finally(progress.stop);

      const { readFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      let adaptation = null;
      try {
        const cfg = JSON.parse(await readFile(join(r.dir, 'config.json'), 'utf8'));
        if (typeof cfg.context_length === 'number' && typeof cfg.prediction_length === 'number')
          adaptation = adaptLengths(cfg, { context, horizon, freq: flags.freq }, { name: r.selection?.key ?? r.revision });
      } catch (err) {
        out.warn(`${r.revision} does not fit --context ${context} --horizon ${horizon}: ${(err as Error).message}`);
      }
      if (adaptation) out.status(`${out.paint.cyan('use:')} ${adaptation.sentence}`);

      const reason = r.selection?.reason ?? `revision ${r.revision} as given`;
      if (flags.json) {
        out.printJson({ schema_version: SCHEMA_VERSION, repo: r.repo, revision: r.revision, commit: r.commit, files: r.files, dir: r.dir, selection: r.selection, reason, adaptation, source: r.source });
        return;
      }
      out.printLine(
        out.formatTable(
          ['file', 'bytes', 'etag', 'from'],
          r.files.map((f) => [f.name, f.size, f.etag ?? '', f.cached ? 'cache' : 'network']),
        ),
      );
      out.printLine(`${r.repo}@${r.revision} (commit ${r.commit}) in ${r.dir}`);
    });
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}
