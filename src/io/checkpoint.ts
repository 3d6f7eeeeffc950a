/**
 * Checkpoint directories in Hugging Face form: config.json (TinyTimeMixerConfig) and
 * model.safetensors (PyTorch names). A file with missing or unexpected keys, or a shape that
 * does not match the config, is rejected with the first offending key and its expected shape.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, ConfigError } from '../errors.js';
import { parseTtmConfig, toConfigJson, TtmModel, type TtmConfig } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { readSafetensorsFile } from './safetensors-file.js';
import { serializeSafetensors, type StoredTensor, type TensorToWrite } from './safetensors.js';
import { isInt64, pytorchKey } from './weight-map.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

/** Read and validate config.json of a checkpoint directory, applying overrides (e.g. prediction_filter_length). */
export async function readConfig(dir: string, overrides: Record<string, unknown> = {}): Promise<TtmConfig> {
  const file = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      hint: 'use a model directory with config.json and model.safetensors (what ttm train writes)',
      param: 'model',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseTtmConfig({ ...(raw as object), ...overrides }, file);
}

export interface LoadOptions {
  /** Config fields to override without touching the weights. */
  overrides?: Record<string, unknown>;
  /**
   * Keep the model's fresh weights for parameters the file lacks or has with another shape, and
   * ignore file keys the model does not have (fine-tuning a checkpoint into a new head or
   * decoder). Without it any mismatch is an error.
   */
  allowMismatch?: boolean;
  seed?: number;
}

export interface LoadedModel {
  model: TtmModel;
  /** PyTorch keys initialised fresh (allowMismatch only). */
  fresh: string[];
  /** File keys not used (allowMismatch only). */
  unused: string[];
}

/** Load config.json + model.safetensors from a directory. */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const config = await readConfig(dir, options.overrides);
  const file = join(dir, WEIGHTS_FILE);
  const { tensors } = await readSafetensorsFile(file);
  const model = TtmModel.create(config, options.seed ?? 0);
  try {
    const result = assignWeights(model, tensors, file, options.allowMismatch ?? false);
    return { model, ...result };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Weights by PyTorch name, as read from a file or taken with `stateDict`. */
export type WeightMap = Map<string, { shape: number[]; data: ArrayLike<number> }>;

/** Assign a state dict whose keys and shapes must match the model exactly (errors name `source`). */
export function loadStateDict(model: TtmModel, tensors: WeightMap, source: string): void {
  assignWeights(model, tensors, source, false);
}

function assignWeights(model: TtmModel, tensors: WeightMap, file: string, allowMismatch: boolean) {
  const fresh: string[] = [];
  const used = new Set<string>();
  for (const [path, variable] of model.namedVariables()) {
    const key = pytorchKey(path);
    const stored = tensors.get(key);
    const expected = `[${variable.shape.join(', ')}]`;
    if (!stored) {
      if (allowMismatch) {
        fresh.push(key);
        continue;
      }
      throw new CheckpointError(`${file}: missing parameter "${key}" (expected shape ${expected})`, {
        hint: 'the weights do not belong to this config.json',
      });
    }
    if (stored.shape.length !== variable.shape.length || stored.shape.some((d, i) => d !== variable.shape[i])) {
      if (allowMismatch) {
        fresh.push(key);
        used.add(key);
        continue;
      }
      throw new CheckpointError(`${file}: parameter "${key}" has shape [${stored.shape.join(', ')}], config.json needs ${expected}`, {
        hint: 'the weights do not belong to this config.json',
      });
    }
    used.add(key);
    const values = variable.dtype === 'int32' ? Int32Array.from(stored.data) : Float32Array.from(stored.data);
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, variable.dtype)));
  }
  const unused = [...tensors.keys()].filter((k) => !used.has(k));
  if (unused.length > 0 && !allowMismatch) {
    throw new CheckpointError(`${file}: unexpected parameter "${unused[0]}"${unused.length > 1 ? ` (and ${unused.length - 1} more)` : ''} for this config.json`, {
      hint: 'the weights do not belong to this config.json',
    });
  }
  return { fresh, unused };
}

/** The state dict in PyTorch names, ready for safetensors. */
export function stateDict(model: TtmModel): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [path, variable] of model.namedVariables()) {
    const key = pytorchKey(path);
    out.set(key, { dtype: isInt64(key) ? 'I64' : 'F32', shape: variable.shape, data: variable.dataSync() });
  }
  return out;
}

export function serializeModelWeights(model: TtmModel): Uint8Array {
  return serializeSafetensors(stateDict(model));
}

/** Write config.json and model.safetensors into dir (each file atomically). */
export async function saveModel(model: TtmModel, dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, WEIGHTS_FILE), serializeModelWeights(model));
  await writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(toConfigJson(model.config), null, 2)}\n`);
}
