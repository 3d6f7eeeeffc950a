/** `ttm evaluate`: backtest against the baselines, coverage, drift and alerts; exit 7 when an alert fires. */
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { EXIT, UsageError } from '../../errors.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { intOption, numberOption } from '../parse-flags.js';

interface EvaluateFlags {
  model: string;
  data: string;
  results: string;
  origins: string;
  interval: string;
  thresholds?: string;
  report?: string;
  json?: boolean;
  save: boolean;
  backend?: string;
}

export function register(program: Command): void {
  addBackendOption(
    program
      .command('evaluate')
      .description('rolling-origin backtest of the model vs seasonal naive, naive and mean-52; drift and alerts (exit 7 = alert)')
      .option('--model <dir>', 'trained model directory', DEFAULT_PATHS.model)
      .option('--data <file>', 'weekly sales CSV', DEFAULT_PATHS.data)
      .option('--origins <n>', 'forecast origins: the last N weeks that start a full horizon', '4')
      .option('--interval <levels>', 'interval levels whose coverage is reported, comma-separated', '0.9')
      .option('--thresholds <file>', 'JSON with any of mape, wape, psi, errorRate, latencySeconds (null turns one off)')
      .option('--report <file>', 'also write an SVG (per-region plots) or HTML report, by extension')
      .option('--results <dir>', 'the report is saved under <dir>/evaluations/', DEFAULT_PATHS.results)
      .option('--no-save', 'do not save the report under results')
      .option('--json', 'print the report as one JSON document')
      .addHelpText('after', `
Examples:
  $ ttm evaluate                                  table; exit 0 healthy, 7 when an alert fires
  $ ttm evaluate --origins 8 --json | jq .alerts
  $ ttm evaluate --thresholds thresholds.json --report evaluation.html`),
  ).action(async (flags: EvaluateFlags) => {
    const origins = intOption('--origins', flags.origins, 1, 520);
    const levels = flags.interval.split(',').map((x) => numberOption('--interval', x.trim(), 0.01, 0.999));
    if (flags.report && !/\.(svg|html?)$/i.test(flags.report)) throw new UsageError(`--report ${flags.report}: expected a .svg or .html file`);
    const backend = await startBackend(flags.backend);
    const [{ loadWeekly }, { loadForecaster }, ev, { readThresholds, DEFAULT_THRESHOLDS }, out, { renderEvaluation }] = await Promise.all([
      import('../../data/index.js'),
      import('../../predict/load-forecaster.js'),
      import('../../evaluate/index.js'),
      import('../../config/thresholds.js'),
      import('../output.js'),
      import('./evaluate-render.js'),
    ]);
    const thresholds = flags.thresholds ? await readThresholds(flags.thresholds) : DEFAULT_THRESHOLDS;
    const forecaster = await loadForecaster(flags.model);
    try {
      // Covariates are known in advance: the backtest reads the forecast weeks' values from the data.
      const ds = await loadWeekly(flags.data, { covariates: forecaster.preprocessor.covariates?.columns ?? [] });
      out.status(`evaluating ${flags.model} on ${flags.data}: ${ds.series.length} series, last ${origins} origin(s)`);
      const evaluation = await ev.evaluateForecaster(forecaster, ds, { origins, levels, thresholds, source: { model: flags.model, data: flags.data } });
      const { report } = evaluation;
      if (report.backtest.windows === 0) out.warn('no window to score: every series needs a season (52 weeks) of history and a full horizon after the origin');
      if (report.held_out_share < 1) out.warn(`${(100 * (1 - report.held_out_share)).toFixed(0)}% of the scored weeks are not after the model's training data (trained through ${report.trained_through}): figures are optimistic`);
      const saved = flags.save ? await ev.saveEvaluation(flags.results, report) : null;
      if (flags.report) {
        const { writeFileAtomic } = await import('../../io/atomic-write.js');
        await writeFileAtomic(flags.report, /\.svg$/i.test(flags.report) ? ev.evaluationSvg(evaluation) : ev.evaluationHtml(evaluation));
      }
      if (flags.json) out.printJson({ backend, ...report, saved });
      else out.printLine(renderEvaluation(report, out.formatTable));
      if (saved) out.status(`saved ${saved}`);
      if (flags.report) out.status(`wrote ${flags.report}`);
      if (!report.healthy) process.exitCode = EXIT.alertFired;
    } finally {
      forecaster.model.dispose();
    }
  });
}
