/**
 * TinyTimeMixerForPrediction: scaler → patching → encoder → decoder → head → de-normalisation,
 * plus the configured loss. Owns its variables (dispose()).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { forecastChannels, outputHorizon, scalerKind, type TtmConfig } from './config.js';
import type { ForwardContext } from './context.js';
import { decoder, initDecoder } from './decoder.js';
import { encoder, initEncoder } from './encoder.js';
import { head, initHead } from './head.js';
import { seededInitializer } from './init.js';
import { GELU_CONSTANTS } from './activation.js';
import { warmConstants } from './constants.js';
import { InferenceCache } from './inference-cache.js';
import { foldForInference } from './inference-folds.js';
import { forecastLoss, type LossName } from './loss.js';
import { disposeParams, flattenParams, type TtmParams } from './params.js';
import { patchify } from './patching.js';
import { scale } from './scaler.js';
import { selectAlong } from './select.js';

/** Inputs with the reference's names; integer-valued inputs may be float (truncated). */
export interface TtmInputs {
  pastValues: tf.Tensor3D; // [B, T ≥ L, C]
  pastObservedMask?: tf.Tensor3D; // [B, L, C]
  futureValues?: tf.Tensor3D; // [B, H', C or Cp]
  futureObservedMask?: tf.Tensor3D; // same as futureValues
  staticCategoricalValues?: tf.Tensor2D; // [B, K]
  freqToken?: tf.Tensor1D; // [B]
}

/** Dispose every tensor of an inputs object. */
export function disposeInputs(inputs: TtmInputs): void {
  for (const t of Object.values(inputs)) (t as tf.Tensor | undefined)?.dispose();
}

export interface ForwardOptions {
  isTraining?: boolean;
  /** Override the configured loss (null: no loss). */
  loss?: LossName | null;
  /** Override the pinball quantile (the fixtures' loss_by_type.pinball uses 0.9). */
  quantile?: number;
  nextSeed?: () => number;
  collectHiddenStates?: boolean;
  collectIntermediates?: boolean;
}

/** The encoder's result and what the rest of the forward needs from before it. */
export interface Encoded {
  past: tf.Tensor3D;
  loc: tf.Tensor3D;
  scale: tf.Tensor3D;
  patches: tf.Tensor4D;
  backbone: tf.Tensor4D;
}

export interface TtmOutputs {
  predictionOutputs: tf.Tensor3D; // [B, Hh, Cp]
  backboneHiddenState: tf.Tensor4D; // [B, C, N, D]
  decoderHiddenState: tf.Tensor4D; // [B, C, N, Dd]
  loc: tf.Tensor3D; // [B, 1, Cp]
  scale: tf.Tensor3D; // [B, 1, Cp]
  loss?: tf.Scalar;
  hiddenStates: tf.Tensor[];
  intermediates: Record<string, tf.Tensor>;
}

export class TtmModel {
  /** Cached inference weights: this model's own, freed by dispose(). */
  private readonly inference = new InferenceCache();

  constructor(
    readonly config: TtmConfig,
    readonly params: TtmParams,
  ) {
    // Engine-lifetime constants of the forward, made once here rather than inside a forward.
    warmConstants([...GELU_CONSTANTS, config.norm_eps]);
  }

  /** A model with fresh weights (PyTorch's default initialisation, seeded). */
  static create(config: TtmConfig, seed = 42): TtmModel {
    const init = seededInitializer(seed);
    // tidy disposes the initial values behind each variable; the variables themselves survive.
    let params: TtmParams | undefined;
    tf.tidy(() => {
      params = {
        backbone: { encoder: initEncoder(config, init) },
        ...(config.use_decoder ? { decoder: initDecoder(config, init) } : {}),
        head: initHead(config, init),
      };
    });
    return new TtmModel(config, params!);
  }

  /** Every variable with its parameter-tree path. */
  namedVariables(): [string, tf.Variable][] {
    return flattenParams(this.params);
  }

  /**
   * For inference: transpose every Linear weight once instead of on every call. `only` limits it
   * to some parameters (a frozen backbone during fine-tuning). Cached weights get no gradient:
   * drop the cache before training them.
   */
  prepareForInference(only: (path: string) => boolean = () => true): void {
    this.inference.clear();
    this.inference.cacheComputeLayout(this.namedVariables().filter(([path]) => only(path)).map(([, v]) => v));
    foldForInference(this.inference, this.params, only);
  }

  /** After a weight update the cached copies are stale. */
  dropInferenceCache(): void {
    this.inference.clear();
  }

  /** Tensors held by the inference cache (0 when not prepared). */
  get inferenceCacheSize(): number {
    return this.inference.size;
  }

  dispose(): void {
    this.dropInferenceCache();
    disposeParams(this.params);
  }

  /**
   * Scaler, patching and encoder: what a fine-tune with a frozen backbone computes outside the
   * gradient tape (then passed to forward() as `encoded`). Dropout seeds are drawn in the same
   * order as in a whole forward.
   */
  encode(inputs: TtmInputs, options: ForwardOptions = {}): Encoded {
    return this.encodeIn(inputs, this.context(options, [], {}));
  }

  private context(options: ForwardOptions, hiddenStates: tf.Tensor[], intermediates: Record<string, tf.Tensor>): ForwardContext {
    return {
      cfg: this.config,
      isTraining: options.isTraining ?? false,
      nextSeed: options.nextSeed,
      onHiddenState: options.collectHiddenStates ? (t) => hiddenStates.push(t) : undefined,
      onIntermediate: options.collectIntermediates ? (n, t) => (intermediates[n] = t) : undefined,
      inference: this.inference,
    };
  }

  private encodeIn(inputs: TtmInputs, ctx: ForwardContext): Encoded {
    const cfg = this.config;
    const { past, mask } = this.checkInputs(inputs);
    const scaled = scale(scalerKind(cfg), past, mask);
    ctx.onIntermediate?.('scaled_past_values', scaled.scaled);
    const patches = patchify(scaled.scaled, cfg.patch_length, cfg.patch_stride);
    ctx.onIntermediate?.('patch_input', patches);
    const freqToken = inputs.freqToken ? tf.cast(inputs.freqToken, 'int32') : undefined;
    const backbone = encoder(this.params.backbone.encoder, patches, freqToken, ctx);
    return { past, loc: scaled.loc, scale: scaled.scale, patches, backbone };
  }

  /** The forward pass; tensors are the caller's to dispose (wrap in tf.tidy). */
  forward(inputs: TtmInputs, options: ForwardOptions & { encoded?: Encoded } = {}): TtmOutputs {
    const cfg = this.config;
    const hiddenStates: tf.Tensor[] = [];
    const intermediates: Record<string, tf.Tensor> = {};
    const ctx = this.context(options, hiddenStates, intermediates);
    const { past, patches, backbone, ...scaled } = options.encoded ?? this.encodeIn(inputs, ctx);
    const categorical = inputs.staticCategoricalValues ? tf.cast(inputs.staticCategoricalValues, 'int32') : undefined;
    const decoded = this.params.decoder ? decoder(this.params.decoder, backbone, patches, categorical, ctx) : backbone;
    const y = head(this.params.head, decoded, past, inputs.futureValues, ctx);
    ctx.onIntermediate?.('head_output', y);
    const channels = forecastChannels(cfg);
    const loc = cfg.prediction_channel_indices ? selectAlong(scaled.loc, channels, 2) : scaled.loc;
    const sc = cfg.prediction_channel_indices ? selectAlong(scaled.scale, channels, 2) : scaled.scale;
    const prediction = tf.add(tf.mul(y, sc), loc) as tf.Tensor3D;
    const lossName = options.loss === undefined ? cfg.loss : options.loss;
    let loss: tf.Scalar | undefined;
    if (inputs.futureValues && lossName) {
      const target = this.lossTarget(inputs.futureValues);
      const fmask = inputs.futureObservedMask ? this.lossTarget(inputs.futureObservedMask) : undefined;
      loss = forecastLoss(lossName, prediction, target, fmask, { huberDelta: cfg.huber_delta, quantile: options.quantile ?? cfg.quantile });
    }
    return {
      predictionOutputs: prediction,
      backboneHiddenState: backbone,
      decoderHiddenState: decoded,
      loc,
      scale: sc,
      loss,
      hiddenStates,
      intermediates,
    };
  }

  /** future values cut to the output horizon and reduced to the forecast channels. */
  private lossTarget(future: tf.Tensor3D): tf.Tensor3D {
    const cfg = this.config;
    const [B, , Cf] = future.shape;
    const Hh = outputHorizon(cfg);
    const cut = tf.slice(future, [0, 0, 0], [B, Hh, Cf]);
    const Cp = forecastChannels(cfg);
    if (Cf === cfg.num_input_channels && Cp.length !== Cf) return selectAlong(cut, Cp, 2);
    return cut;
  }

  /**
   * Shapes only: nothing here reads tensor values back, so a forward never waits on the device.
   * Index ranges are checked where a batch is built (checkIndexInputs in index-inputs.ts).
   */
  private checkInputs(inputs: TtmInputs): { past: tf.Tensor3D; mask: tf.Tensor3D } {
    const cfg = this.config;
    const L = cfg.context_length;
    const C = cfg.num_input_channels;
    const pv = inputs.pastValues;
    if (pv.rank !== 3 || pv.shape[2] !== C || pv.shape[1] < L) {
      throw new ShapeError(`past_values has shape [${pv.shape}], expected [batch, ≥${L}, ${C}]`);
    }
    const B = pv.shape[0];
    const past = pv.shape[1] > L ? (tf.slice(pv, [0, pv.shape[1] - L, 0], [B, L, C]) as tf.Tensor3D) : pv;
    const m = inputs.pastObservedMask;
    if (m && (m.rank !== 3 || m.shape[0] !== B || m.shape[1] !== L || m.shape[2] !== C)) {
      throw new ShapeError(`past_observed_mask has shape [${m.shape}], expected [${B}, ${L}, ${C}]`);
    }
    const H = cfg.prediction_length;
    const Hh = outputHorizon(cfg);
    const Cp = forecastChannels(cfg).length;
    for (const [name, t] of [['future_values', inputs.futureValues], ['future_observed_mask', inputs.futureObservedMask]] as const) {
      if (t && (t.rank !== 3 || t.shape[0] !== B || t.shape[1] < Hh || t.shape[1] > H || (t.shape[2] !== C && t.shape[2] !== Cp))) {
        throw new ShapeError(`${name} has shape [${t.shape}], expected [${B}, ${Hh}..${H}, ${C} or ${Cp}]`);
      }
    }
    if (cfg.enable_forecast_channel_mixing && (cfg.exogenous_channel_indices?.length ?? 0) > 0) {
      if (!inputs.futureValues || inputs.futureValues.shape[2] !== C) {
        throw new ShapeError(`future_values [${B}, ${Hh}, ${C}] is required: the forecast channel mixer reads the exogenous channels' future`);
      }
    }
    const K = cfg.categorical_vocab_size_list?.length ?? 0;
    if (K > 0) {
      const s = inputs.staticCategoricalValues;
      if (!s || s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== K) {
        throw new ShapeError(`static_categorical_values ${s ? `has shape [${s.shape}]` : 'is missing'}, expected [${B}, ${K}]`);
      }
    }
    if (cfg.resolution_prefix_tuning) {
      const f = inputs.freqToken;
      if (!f || f.rank !== 1 || f.shape[0] !== B) {
        throw new ShapeError(`freq_token ${f ? `has shape [${f.shape}]` : 'is missing'}, expected [${B}] (the model uses resolution prefix tuning)`);
      }
    }
    return { past, mask: m ?? tf.onesLike(past) };
  }
}

