/**
 * What the dashboard's routes need from the server that hosts them: the served data, the active
 * model, where `ttm evaluate` keeps its reports, and the server's own permission check. buildApp
 * supplies these from its state, so the dashboard reads exactly what /predict serves.
 */
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { WeeklyDataset } from '../../data/index.js';
import type { Forecaster } from '../../predict/index.js';

export interface ActiveModel {
  /** registry version, or the model directory's name when served with --model */
  version: string;
  /** when the version was trained or registered (ISO), null when unknown */
  trained_at: string | null;
  forecaster: Forecaster;
}

export interface DashboardDeps {
  /** the served dataset (--data) */
  dataset: () => WeeklyDataset;
  /** runs `use` with the model /predict uses right now, held (not disposed by a swap) until it settles */
  withModel: <T>(use: (m: ActiveModel) => Promise<T>) => Promise<T>;
  /** folder of `ttm evaluate` reports (<results>/evaluations) */
  evaluationsDir: string;
  /** lets only callers holding view_dashboards through (401 without credential, 403 without permission) */
  requireViewDashboards: preHandlerAsyncHookHandler;
}
