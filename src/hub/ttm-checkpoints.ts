/**
 * The TTM checkpoint table that granite-tsfm's get_model chooses from
 * (tsfm_public/resources/model_paths_config/ttm.yaml at granite-tsfm 412573aa). Order matters:
 * it breaks ties when sorting. Keys are the revision names' stems; `release` r1, r2 or r2.1.
 */
export interface TtmCheckpoint {
  release: string;
  model_card: string;
  revision: string;
  context_length: number;
  prediction_length: number;
}

export type CheckpointTable = Record<string, Record<string, TtmCheckpoint>>;

const c = (release: string, model_card: string, revision: string, context_length: number, prediction_length: number): TtmCheckpoint => ({
  release,
  model_card,
  revision,
  context_length,
  prediction_length,
});

const R1 = 'ibm-granite/granite-timeseries-ttm-r1';
const R2 = 'ibm-granite/granite-timeseries-ttm-r2';
const RESEARCH = 'ibm-research/ttm-research-r2';

export const TTM_CHECKPOINTS: CheckpointTable = {
  'ibm-granite-models': {
    '512-96-r1': c('r1', R1, 'main', 512, 96),
    '1024-96-r1': c('r1', R1, '1024_96_v1', 1024, 96),
    '512-96-r2': c('r2', R2, 'main', 512, 96),
    '512-192-r2': c('r2', R2, '512-192-r2', 512, 192),
    '512-336-r2': c('r2', R2, '512-336-r2', 512, 336),
    '512-720-r2': c('r2', R2, '512-720-r2', 512, 720),
    '1024-96-r2': c('r2', R2, '1024-96-r2', 1024, 96),
    '1024-192-r2': c('r2', R2, '1024-192-r2', 1024, 192),
    '1024-336-r2': c('r2', R2, '1024-336-r2', 1024, 336),
    '1024-720-r2': c('r2', R2, '1024-720-r2', 1024, 720),
    '1536-96-r2': c('r2', R2, '1536-96-r2', 1536, 96),
    '1536-192-r2': c('r2', R2, '1536-192-r2', 1536, 192),
    '1536-336-r2': c('r2', R2, '1536-336-r2', 1536, 336),
    '1536-720-r2': c('r2', R2, '1536-720-r2', 1536, 720),
    '52-16-ft-r2.1': c('r2.1', R2, '52-16-ft-r2.1', 52, 16),
    '52-16-ft-l1-r2.1': c('r2.1', R2, '52-16-ft-l1-r2.1', 52, 16),
    '90-30-ft-r2.1': c('r2.1', R2, '90-30-ft-r2.1', 90, 30),
    '90-30-ft-l1-r2.1': c('r2.1', R2, '90-30-ft-l1-r2.1', 90, 30),
    '180-60-ft-l1-r2.1': c('r2.1', R2, '180-60-ft-l1-r2.1', 180, 60),
    '360-60-ft-l1-r2.1': c('r2.1', R2, '360-60-ft-l1-r2.1', 360, 60),
    '512-48-ft-r2.1': c('r2.1', R2, '512-48-ft-r2.1', 512, 48),
    '512-48-ft-l1-r2.1': c('r2.1', R2, '512-48-ft-l1-r2.1', 512, 48),
    '512-96-ft-r2.1': c('r2.1', R2, '512-96-ft-r2.1', 512, 96),
    '512-96-ft-l1-r2.1': c('r2.1', R2, '512-96-ft-l1-r2.1', 512, 96),
  },
  'research-use-models': {
    '512-96-ft-r2': c('r2', RESEARCH, 'main', 512, 96),
    '512-192-ft-r2': c('r2', RESEARCH, '512-192-ft-r2', 512, 192),
    '512-336-ft-r2': c('r2', RESEARCH, '512-336-ft-r2', 512, 336),
    '512-720-ft-r2': c('r2', RESEARCH, '512-720-ft-r2', 512, 720),
    '1024-96-ft-r2': c('r2', RESEARCH, '1024-96-ft-r2', 1024, 96),
    '1024-192-ft-r2': c('r2', RESEARCH, '1024-192-ft-r2', 1024, 192),
    '1024-336-ft-r2': c('r2', RESEARCH, '1024-336-ft-r2', 1024, 336),
    '1024-720-ft-r2': c('r2', RESEARCH, '1024-720-ft-r2', 1024, 720),
    '1536-96-ft-r2': c('r2', RESEARCH, '1536-96-ft-r2', 1536, 96),
    '1536-192-ft-r2': c('r2', RESEARCH, '1536-192-ft-r2', 1536, 192),
    '1536-336-ft-r2': c('r2', RESEARCH, '1536-336-ft-r2', 1536, 336),
    '1536-720-ft-r2': c('r2', RESEARCH, '1536-720-ft-r2', 1536, 720),
  },
};
