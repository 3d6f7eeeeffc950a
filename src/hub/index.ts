/** Pretrained TTM checkpoints from the Hugging Face Hub: choose, download, cache, adapt. */
export { selectCheckpoint, cardFamily, type Selection, type SelectionQuery, type SelectionProblem, type ForceReturn } from './select-checkpoint.js';
export { TTM_CHECKPOINTS, type TtmCheckpoint, type CheckpointTable } from './ttm-checkpoints.js';
export { FREQUENCY_TOKENS, frequencyToken } from './frequency.js';
export { pull, CHECKPOINT_FILES, type PullOptions, type PullResult, type PullEvent, type PulledFile } from './pull.js';
export { resolvePretrained, type PretrainedNeeds, type PretrainedSource, type ResolveOptions } from './resolve-pretrained.js';
export { adaptLengths, type CheckpointLengths, type DataLengths, type LengthAdaptation, type AdaptOptions } from './length-adaptation.js';
export { parseRepoSpec, looksLikeRepoId, resolveUrl, type RepoSpec } from './hub-url.js';
export { repoCacheDir, findCachedSnapshot } from './cache.js';
