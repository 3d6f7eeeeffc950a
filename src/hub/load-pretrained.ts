/**
 * `--pretrained <dir | owner/name[@revision]>` as a model for this data: the checkpoint is
 * resolved (a folder as it is, a repo id pulled at the revision chosen for the data), its lengths
 * adapted to the data's context, horizon and frequency (`adaptLengths`), and loaded with the
 * caller's config overrides plus the forecast filter the adaptation asks for.
 * Not re-exported by src/hub/index.ts: it loads TensorFlow.js, which `ttm pull` does not need.
 */
import { loadModel, readConfig, type LoadedModel } from '../io/checkpoint.js';
import { adaptLengths, type AdaptOptions, type LengthAdaptation } from './length-adaptation.js';
import { resolvePretrained, type PretrainedNeeds, type PretrainedSource, type ResolveOptions } from './resolve-pretrained.js';

export interface LoadPretrainedOptions {
  /** Config fields changed before the model is built (decoder, channels, dropout, …). */
  overrides?: Record<string, unknown>;
  /** Keep fresh weights for parts the checkpoint lacks or has with another shape (listed in `fresh`). */
  allowMismatch?: boolean;
  seed?: number;
  shortContext?: AdaptOptions['shortContext'];
  /** Hub settings and pull events, for a repo id. */
  resolve?: ResolveOptions;
}

export interface PretrainedModel extends LoadedModel {
  adaptation: LengthAdaptation;
  /** For messages: the folder as given, or repo@revision. */
  source: string;
  checkpoint: PretrainedSource;
}

export async function loadPretrained(spec: string, needs: PretrainedNeeds, o: LoadPretrainedOptions = {}): Promise<PretrainedModel> {
  const checkpoint = await resolvePretrained(spec, needs, o.resolve);
  const pulled = checkpoint.pulled;
  const adaptation = adaptLengths(await readConfig(checkpoint.dir), needs, { name: pulled?.revision, shortContext: o.shortContext });
  const loaded = await loadModel(checkpoint.dir, {
    overrides: { ...o.overrides, prediction_filter_length: adaptation.predictionFilterLength },
    allowMismatch: o.allowMismatch,
    seed: o.seed,
  });
  const source = pulled ? `${pulled.repo}@${pulled.revision}` : spec;
  return { ...loaded, adaptation, source, checkpoint };
}
