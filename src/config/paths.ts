/** Default locations from the product's design. Nothing else in src/ spells these folders. */
export const DEFAULT_PATHS = {
  data: 'dados/db_tratado-w.csv',
  dataDir: 'dados',
  model: 'final_ttm_model',
  results: 'results_ttm_model',
  /** model registry of `ttm models` and `ttm train --register` (env TTM_REGISTRY) */
  registry: 'model_registry',
} as const;
