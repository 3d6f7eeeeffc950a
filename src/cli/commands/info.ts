import { SCHEMA_VERSION } from '../../config/schema-version.js';
import type { Command } from 'commander';
import { addBackendOption, startBackend } from '../backend-option.js';
import { formatTable, printJson, printLine } from '../output.js';

export function register(program: Command): void {
  addBackendOption(
    program
      .command('info')
      .description("architecture, parameters per module and trainable counts per fine-tuning strategy (default: the design's configuration)")
      .option('--model <dir>', 'checkpoint directory (config.json + model.safetensors)')
      .option('--json', 'one JSON document on stdout')
      .addHelpText('after', '\nExamples:\n  $ ttm info\n  $ ttm info --model final_ttm_model --json'),
  ).action(async (opts: { model?: string; json?: boolean; backend?: string }) => {
    const backend = await startBackend(opts.backend);
    const { describeModel } = await import('../../io/describe-model.js');
    const { source, summary } = await describeModel(opts.model);
    const { readModelCard } = await import('../../io/read-model-card.js');
    const card = opts.model ? await readModelCard(opts.model) : null;
    if (opts.json) {
      printJson({ schema_version: SCHEMA_VERSION, source, backend, ...summary, model_card: card });
      return;
    }
    if (card) {
      printLine(card.text);
      printLine();
    } else if (opts.model) printLine(`(no model card: ${opts.model}/README.md is absent; ttm train writes one)\n`);
    printLine(`model: ${source}`);
    printLine(formatTable(['field', 'value'], Object.entries(summary.architecture).map(([k, v]) => [k, String(v)])));
    printLine();
    printLine(formatTable(['module', 'parameters'], [...summary.modules.map((m) => [m.module, m.parameters] as [string, number]), ['total', summary.total]]));
    printLine();
    printLine(
      formatTable(
        ['strategy', 'trainable', 'share', 'rule'],
        Object.entries(summary.trainable).map(([s, t]) => [s, t.count, `${(100 * t.share).toFixed(1)}%`, summary.rules[s as keyof typeof summary.rules]]),
      ),
    );
  });
}
