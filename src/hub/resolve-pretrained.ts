/**
 * `--pretrained <dir | owner/name[@revision]>` → a local checkpoint folder. A folder is used as
 * it is; a repo id is pulled, its revision chosen for the data's context and horizon (get_model's
 * rule) unless the spec names one. Callers then read config.json and apply `adaptLengths`.
 */
import { promises as fs } from 'node:fs';
import { isAbsolute } from 'node:path';
import { CheckpointError } from '../errors.js';
import { looksLikeRepoId, parseRepoSpec } from './hub-url.js';
import { pull, type PullOptions, type PullResult } from './pull.js';

export interface PretrainedNeeds {
  context: number;
  horizon: number;
  freq?: string;
}

export interface PretrainedSource {
  /** Local folder with config.json and model.safetensors. */
  dir: string;
  source: 'directory' | 'hub';
  /** What was pulled, for a repo id. */
  pulled?: PullResult;
}

export type ResolveOptions = Omit<PullOptions, 'repo' | 'revision' | 'context' | 'horizon' | 'freq'>;

export async function resolvePretrained(spec: string, needs: PretrainedNeeds, opts: ResolveOptions = {}): Promise<PretrainedSource> {
  const st = await fs.stat(spec).catch(() => undefined);
  if (st?.isDirectory()) return { dir: spec, source: 'directory' };
  const isPath = st !== undefined || isAbsolute(spec) || spec.startsWith('.') || !looksLikeRepoId(spec);
  if (isPath)
    throw new CheckpointError(`pretrained checkpoint ${spec}: ${st ? 'not a directory' : 'no such directory'}`, {
      hint: 'give a checkpoint folder (config.json + model.safetensors) or a Hub repo id such as ibm-granite/granite-timeseries-ttm-r2',
    });
  const { repo, revision } = parseRepoSpec(spec);
  const pulled = await pull({ ...opts, repo, revision, context: needs.context, horizon: needs.horizon, freq: needs.freq });
  return { dir: pulled.dir, source: 'hub', pulled };
}
