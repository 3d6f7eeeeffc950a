/**
 * The model versions this process holds. Requests acquire a version and release it; a swap
 * loads the new active version fully and tries it on a forecast before switching, and the old
 * version is disposed once its last request is answered. A version that fails to load or to
 * forecast is refused: the server keeps answering with the one it has, and says so.
 */
import type { FastifyBaseLogger } from 'fastify';
import { forecastRefs, missingFutureWeeks } from '../data/index.js';
import { ConfigError } from '../errors.js';
import type { Forecaster } from '../predict/index.js';
import { HttpError } from './http-error.js';
import type { ModelSource } from './model-source.js';
import type { ServedData } from './served-data.js';
import { forecastItems, LoadedModel, type BatchSettings } from './predictor.js';
import { checkForecastable, type SeriesRef } from './series-input.js';

export interface SwapFailure {
  version: string;
  message: string;
  at: string;
}

export interface PoolOptions {
  source: ModelSource;
  batch: BatchSettings;
  /** served data, for the trial forecast of a new version (read with its covariate columns) */
  data: ServedData | null;
  log: FastifyBaseLogger;
  onActive?: (version: string, previous: string | null) => void;
  onSwapFailure?: (f: SwapFailure) => void;
  /** versions other than the active one kept loaded for `model_version` requests */
  maxExtra?: number;
}

/**
 * A forecaster must produce finite numbers for a real series before it serves (one whose
 * forecast weeks have their covariates, for a model trained with them). Reading the served data
 * with the model's covariate columns happens here too, so data that lacks them refuses the model.
 */
async function trial(f: Forecaster, served: ServedData | null): Promise<void> {
  if (f.meta.channels.join() !== 'vendas,faturamento') throw new Error(`channels ${f.meta.channels.join(', ')}: the server forecasts vendas and faturamento`);
  if (!served) return;
  const data = await served.forModel(f);
  const spec = f.preprocessor.covariates;
  let ref: SeriesRef | undefined;
  for (let i = 0; i < data.series.length && !ref; i++) {
    try {
      checkForecastable(f, { ds: data, index: i });
      if (spec && missingFutureWeeks(data, spec, forecastRefs(data, { series: [i] }), f.meta.horizon).length > 0) continue;
      ref = { ds: data, index: i };
    } catch {
      /* next */
    }
  }
  if (!ref) return;
  const [out] = await forecastItems(f, [{ ref, horizon: f.meta.horizon, levels: [0.9] }]);
  for (const v of Object.values(out.values)) if (!v.every(Number.isFinite)) throw new Error('the trial forecast is not finite');
}

export class ModelPool {
  private loaded = new Map<string, LoadedModel>();
  private activeModel: LoadedModel | null = null;
  private loading = new Map<string, Promise<LoadedModel>>();
  private swapChain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  lastSwapError: SwapFailure | null = null;
  closed = false;

  constructor(private readonly o: PoolOptions) {}

  get active(): LoadedModel | null {
    return this.activeModel;
  }

  isLoaded(version: string): boolean {
    return this.loaded.has(version);
  }

  /** Loads the source's active version; throws if it cannot serve. */
  async init(): Promise<void> {
    const v = await this.o.source.active();
    if (v === null) throw new ConfigError('the registry has no active version', { hint: 'promote one: ttm models promote VERSION', param: 'registry' });
    const m = await this.load(v);
    this.activate(m);
  }

  private async load(version: string): Promise<LoadedModel> {
    const have = this.loaded.get(version);
    if (have && !have.retired) return have;
    const inProgress = this.loading.get(version);
    if (inProgress) return inProgress;
    const p = (async () => {
      const f = await this.o.source.load(version);
      try {
        await trial(f, this.o.data);
      } catch (err) {
        f.model.dispose();
        throw err;
      }
      const m = new LoadedModel(version, f, this.o.batch);
      this.loaded.set(version, m);
      return m;
    })();
    this.loading.set(version, p);
    try {
      return await p;
    } finally {
      this.loading.delete(version);
    }
  }

  private activate(m: LoadedModel): void {
    const old = this.activeModel;
    this.activeModel = m;
    this.o.onActive?.(m.version, old?.version ?? null);
    if (old && old !== m) this.retire(old);
  }

  private retire(m: LoadedModel): void {
    m.retired = true;
    this.loaded.delete(m.version);
    if (m.users === 0) m.dispose();
  }

  /** The version a request asked for (default: active), held until release(). */
  async acquire(version?: string): Promise<LoadedModel> {
    if (this.closed) throw HttpError.unavailable('the server is shutting down', 'retry on another replica');
    let m = this.activeModel;
    if (version !== undefined && version !== m?.version) {
      const known = await this.o.source.list();
      if (!known.some((v) => v.version === version)) {
        throw HttpError.notFound(`model_version ${version} is not registered`, `registered: ${known.map((v) => v.version).join(', ') || 'none'}`);
      }
      try {
        m = await this.load(version);
      } catch (err) {
        throw HttpError.unavailable(`model_version ${version} cannot be loaded: ${(err as Error).message}`);
      }
      this.trimExtras(m);
    }
    if (!m) throw HttpError.unavailable('no model is loaded');
    m.users++;
    return m;
  }

  release(m: LoadedModel): void {
    m.users--;
    if (m.retired && m.users === 0) m.dispose();
  }

  private trimExtras(keep: LoadedModel): void {
    const extras = [...this.loaded.values()].filter((m) => m !== this.activeModel && m !== keep);
    const max = this.o.maxExtra ?? 1;
    for (const m of extras.slice(0, Math.max(0, extras.length - max + 1))) this.retire(m);
  }

  /** Switch to `version` (load, try, switch, retire old); on failure keep serving and record why. */
  switchTo(version: string): Promise<void> {
    const next = this.swapChain.then(async () => {
      if (this.closed || this.activeModel?.version === version) return;
      try {
        const m = await this.load(version);
        this.activate(m);
        this.lastSwapError = null;
        this.o.log.info({ version }, 'serving model version');
      } catch (err) {
        const f = { version, message: (err as Error).message, at: new Date().toISOString() };
        this.lastSwapError = f;
        this.o.onSwapFailure?.(f);
        this.o.log.error({ version, err: f.message }, 'refused model version; still serving the previous one');
      }
    });
    this.swapChain = next;
    return next;
  }

  /** Poll the source's active version every `ms` and switch when it changes. */
  watch(ms: number): void {
    if (this.o.source.kind !== 'registry' || ms <= 0) return;
    const tick = async () => {
      const v = await this.o.source.active().catch(() => null);
      // a version refused once is not retried until the registry names another
      if (v && v !== this.activeModel?.version && v !== this.lastSwapError?.version) await this.switchTo(v);
      if (!this.closed) this.timer = setTimeout(tick, ms).unref();
    };
    this.timer = setTimeout(tick, ms);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.swapChain;
    for (const m of this.loaded.values()) this.retire(m);
    if (this.activeModel && !this.activeModel.retired) this.retire(this.activeModel);
  }
}
