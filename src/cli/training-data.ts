/** Loads the training data of `ttm train` / `ttm backtest` and puts it through the quality gate first. */
import { QualityError } from '../errors.js';
import type { CsvDialectRequest, DataSource, MissingPolicy, WeeklyDataset } from '../data/index.js';
import { paint, status, warn } from './output.js';

export async function loadTrainingData(
  source: DataSource | string,
  o: { csv?: CsvDialectRequest; missing: MissingPolicy; covariates?: readonly string[]; context: number; horizon: number; minContext: number; allowQualityIssues: boolean },
): Promise<WeeklyDataset> {
  const data = await import('../data/index.js');
  const ds = await data.readObservations(source, { missing: o.missing, csv: o.csv, covariates: o.covariates });
  const file = ds.file;
  const { issues } = data.qualityGate(ds, o);
  if (issues.length === 0) {
    status(`${paint.cyan('quality:')} every rule of ttm validate passes`);
    return ds;
  }
  for (const i of issues) warn(`quality rule ${i.rule} fails: ${i.summary}\n  ${o.allowQualityIssues ? 'training anyway' : 'if trained'}: ${i.treatment}`);
  if (!o.allowQualityIssues) {
    throw new QualityError(`${file}: ${issues.length} data-quality rule(s) fail (${issues.map((i) => i.rule).join(', ')}); not training`, {
      hint: `ttm validate ${typeof source === 'string' || source.kind === 'csv' ? `--data ${file}` : 'with the same --data, --table or --query'} lists the series; fix the data, or pass --allow-quality-issues to train with the treatment above`,
    });
  }
  return ds;
}
