/**
 * The served data (`ttm serve --data`), read with the covariate columns of the model that
 * forecasts from it: a model trained with `--covariates` needs their history, and, from
 * `ttm serve --future FILE`, their values in the forecast weeks. One read per distinct column
 * list (models of the same columns share it); a model without covariate columns gets the plain
 * data and never reads the future file.
 */
import type { FastifyBaseLogger } from 'fastify';
import { attachFutureCovariates, readObservations, type DataSource, type WeeklyDataset } from '../data/index.js';
import type { Forecaster } from '../predict/index.js';

export interface ServedData {
  /** the dataset model `f` forecasts from (with its covariate columns and the future file's values) */
  forModel: (f: Forecaster) => Promise<WeeklyDataset>;
}

export function servedData(source: string | DataSource, future: string | null, log: FastifyBaseLogger): ServedData {
  const byColumns = new Map<string, Promise<WeeklyDataset>>();
  const read = async (columns: readonly string[]): Promise<WeeklyDataset> => {
    const ds = await readObservations(source, { covariates: columns });
    if (future !== null && columns.length > 0) {
      const f = await attachFutureCovariates(ds, future);
      log.info({ file: future, rows: f.rows, inside_history: f.insideHistory, unknown_series: f.unknownSeries, columns }, 'future covariates read');
    }
    return ds;
  };
  return {
    forModel: (f) => {
      const columns = f.preprocessor.covariates?.columns ?? [];
      const key = columns.join(',');
      let p = byColumns.get(key);
      if (!p) {
        p = read(columns);
        byColumns.set(key, p);
        p.catch(() => byColumns.delete(key));
      }
      return p;
    },
  };
}
