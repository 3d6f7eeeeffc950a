/**
 * The model card `ttm train` writes as README.md beside the weights, in the Hugging Face form: a
 * YAML metadata header (library, task, tags, base model, model-index with the validation
 * figures) and a short text saying what the model was trained on and how well it did on weeks it
 * did not train on. `ttm info --model DIR` shows it.
 */
import { VERSION } from '../version.js';

export interface ModelCardInfo {
  data: string;
  series: number;
  first_week: string;
  last_week: string;
  held_out_weeks: number;
  validation_from: string;
  context: number;
  horizon: number;
  source: string;
  pretrained?: string;
  strategy: string;
  epochs_run: number;
  best_epoch: number;
  refit: boolean;
  /** channel → validation WAPE of the tool, of the model alone, and the blend's model weight */
  validation: Record<string, { wape: number; wape_model_only: number; model_weight: number }>;
  blend_window: number;
  interval: { level: number; method: string; coverage: Record<string, number>; windows: number };
}

const yamlString = (s: string) => JSON.stringify(s);
const r4 = (x: number) => Number(x.toFixed(4));

export function modelCard(m: ModelCardInfo): string {
  const channels = Object.keys(m.validation);
  const metrics = channels.flatMap((ch) => [
    `      - { type: wape, name: ${yamlString(`validation WAPE ${ch}`)}, value: ${r4(m.validation[ch].wape)} }`,
    `      - { type: coverage, name: ${yamlString(`${Math.round(m.interval.level * 100)}% interval coverage ${ch} (calibration windows)`)}, value: ${r4(m.interval.coverage[ch])} }`,
  ]);
  const header = [
    '---',
    'library_name: ttm',
    'pipeline_tag: time-series-forecasting',
    'tags: [time-series, forecasting, tinytimemixer, granite-tsfm, tensorflow.js]',
    ...(m.pretrained ? [`base_model: ${yamlString(m.pretrained)}`] : []),
    'model-index:',
    `  - name: ${yamlString(`ttm ${m.context}-${m.horizon} weekly`)}`,
    '    results:',
    '      - task: { type: time-series-forecasting }',
    `        dataset: { name: ${yamlString(m.data)}, type: csv }`,
    '        metrics:',
    ...metrics.map((l) => `    ${l}`),
    'ttm:',
    `  version: ${yamlString(VERSION)}`,
    `  data: ${yamlString(m.data)}`,
    `  training_span: { first_week: ${yamlString(m.first_week)}, last_week: ${yamlString(m.last_week)}, series: ${m.series}, held_out_weeks: ${m.held_out_weeks} }`,
    `  context_length: ${m.context}`,
    `  prediction_length: ${m.horizon}`,
    `  validation_wape: { ${channels.map((ch) => `${ch}: ${r4(m.validation[ch].wape)}`).join(', ')} }`,
    `  blend: { window: ${m.blend_window}, model_weight: { ${channels.map((ch) => `${ch}: ${m.validation[ch].model_weight}`).join(', ')} } }`,
    `  interval: { level: ${m.interval.level}, method: ${yamlString(m.interval.method)}, coverage: { ${channels.map((ch) => `${ch}: ${r4(m.interval.coverage[ch])}`).join(', ')} } }`,
    '---',
  ];
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const body = [
    '',
    `# TinyTimeMixer for weekly sales (${m.context} weeks in, ${m.horizon} out)`,
    '',
    `Trained by \`ttm\` ${VERSION} on \`${m.data}\`: ${m.series} series, weeks ${m.first_week} … ${m.last_week}` +
      (m.held_out_weeks > 0 ? ` (the last ${m.held_out_weeks} week(s) of the file held out).` : '.'),
    `Start: ${m.source}; trainable: ${m.strategy}. ${m.epochs_run} epoch(s), best ${m.best_epoch}` +
      (m.refit ? `; then trained again on every week, the validation weeks included, for ${m.best_epoch} epoch(s).` : '.'),
    '',
    `## Validation (weeks from ${m.validation_from}, not trained on before the refit)`,
    '',
    '| channel | WAPE | model alone | model weight in the blend |',
    '| --- | --- | --- | --- |',
    ...channels.map((ch) => `| ${ch} | ${r4(m.validation[ch].wape).toFixed(4)} | ${r4(m.validation[ch].wape_model_only).toFixed(4)} | ${m.validation[ch].model_weight} |`),
    '',
    m.blend_window > 0
      ? `Forecasts blend the model with the median of each series' last ${m.blend_window} weeks, with the weights above (chosen on the validation weeks).`
      : 'Forecasts are the model alone (no blend).',
    `Intervals: ${m.interval.method}, calibrated on ${m.interval.windows} validation windows; the ${pct(m.interval.level)} interval covers ${channels.map((ch) => `${pct(m.interval.coverage[ch])} (${ch})`).join(', ')} of those windows' weeks (in-sample for the calibration; \`ttm backtest\` measures it out of sample).`,
    '',
    '## Use',
    '',
    '```sh',
    'ttm predict --model <this folder> --produto 12 --regiao 3',
    'ttm evaluate --model <this folder>     # on weeks that arrived after the training',
    '```',
    '',
  ];
  return `${header.join('\n')}\n${body.join('\n')}`;
}
