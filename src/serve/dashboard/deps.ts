/**
 * What the dashboard's routes need from the server that hosts them: the served data, the active
 * model (held while a page's figures are computed, so a hot swap cannot dispose it), and where
 * `ttm evaluate` keeps its reports. `dashboardDeps` takes them from buildApp's context, so the
 * dashboard reads exactly what /predict serves; plus the store of the overview's bands.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeeklyDataset } from '../../data/index.js';
import type { Forecaster } from '../../predict/index.js';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import type { TotalBandStore } from './total-band-job.js';

export interface ActiveModel {
  /** registry version, or the model directory's name when served with --model */
  version: string;
  /** when the version was registered, else when its weights were written (ISO); null when unknown */
  trained_at: string | null;
  forecaster: Forecaster;
  /** keeps this model loaded (a hot swap cannot dispose it) until `work` settles, after the request is answered */
  hold: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface DashboardDeps {
  /** the served dataset (--data) as model `f` reads it (its covariate columns, --future values) */
  dataset: (f: Forecaster) => Promise<WeeklyDataset>;
  /** runs `use` with the model /predict uses right now, held until it settles */
  withModel: <T>(use: (m: ActiveModel) => Promise<T>) => Promise<T>;
  /** folder of `ttm evaluate` reports (<results>/evaluations) */
  evaluationsDir: string;
  /** the overview's bands, computed in the background once per (model, dataset) */
  bands: TotalBandStore;
}

/** When the version was registered; for a plain model directory, when its weights were written. */
async function trainedAt(ctx: ServeContext, version: string): Promise<string | null> {
  const info = (await ctx.source.list()).find((v) => v.version === version);
  if (info?.registered_at) return info.registered_at;
  if (!info?.source) return null;
  try {
    return (await stat(join(info.source, 'model.safetensors'))).mtime.toISOString();
  } catch {
    return null;
  }
}

export function dashboardDeps(ctx: ServeContext, evaluationsDir: string, bands: TotalBandStore): DashboardDeps {
  return {
    dataset: async (f) => {
      if (!ctx.data) throw HttpError.unavailable('this server was started without --data: the dashboard shows the served series', 'start ttm serve with --data FILE');
      return ctx.data.forModel(f);
    },
    withModel: async (use) => {
      const m = await ctx.pool.acquire();
      try {
        const hold = async <T>(work: () => Promise<T>): Promise<T> => {
          m.users++;
          try {
            return await work();
          } finally {
            ctx.pool.release(m);
          }
        };
        return await use({ version: m.version, trained_at: await trainedAt(ctx, m.version), forecaster: m.forecaster, hold });
      } finally {
        ctx.pool.release(m);
      }
    },
    evaluationsDir,
    bands,
  };
}
