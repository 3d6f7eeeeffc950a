/**
 * Backend selection. `auto` takes the first backend that loads, fastest first:
 * node-gpu (CUDA), node (libtensorflow), wasm (XNNPACK + SIMD), cpu (pure JS).
 * `wasm-threaded` is the same wasm kernels on the threaded-SIMD binary with XNNPACK's thread
 * pool (src/runtime/wasm-threaded.ts); it is tfjs's 'wasm' backend too, so one process runs
 * either wasm or wasm-threaded.
 * The native packages are optional dependencies: they are only ever imported here, by name,
 * so a machine without them falls through to wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../errors.js';

export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm-threaded', 'wasm', 'cpu'] as const;
/** What `auto` tries, in order (wasm-threaded only when asked for: see docs/performance.md). */
export const AUTO_ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendRequest = BackendName | 'auto';

export interface BackendChoice {
  name: BackendName;
  /** Why each faster backend was skipped, in the order tried (empty when the request was explicit). */
  skipped: { name: BackendName; reason: string }[];
  /** Extra facts worth printing, e.g. "SIMD, 1 thread". */
  detail: string;
}

/** How to make one backend available; the default loaders import the real packages. */
export type BackendLoader = () => Promise<void>;

/** Import a package by a computed name, so bundlers and tsc do not try to resolve optional ones. */
const importOptional = (name: string): Promise<unknown> => import(name);

export const DEFAULT_LOADERS: Record<BackendName, BackendLoader> = {
  'node-gpu': async () => {
    await importOptional('@tensorflow/tfjs-node-gpu');
  },
  node: async () => {
    await importOptional('@tensorflow/tfjs-node');
  },
  'wasm-threaded': async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const { registerThreadedWasm } = await import('./wasm-threaded.js');
    restoreStockWasm = (await registerThreadedWasm()).restore;
  },
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

/** tfjs registers the native backends under 'tensorflow'. */
const TF_NAME: Record<BackendName, string> = {
  'node-gpu': 'tensorflow',
  node: 'tensorflow',
  'wasm-threaded': 'wasm',
  wasm: 'wasm',
  cpu: 'cpu',
};

export function parseBackendRequest(value: string | undefined): BackendRequest {
  const v = (value ?? 'auto').trim().toLowerCase();
  if (v === 'auto' || (BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendRequest;
  throw new UsageError(`unknown backend "${value}"`, {
    hint: `use one of: auto, ${BACKEND_NAMES.join(', ')}`,
  });
}

/**
 * The backend a worker thread of a data-parallel job loads: the main thread's, except that the
 * threads of wasm-threaded would then compete with the workers for the same cores.
 */
export function workerBackend(name: BackendName): BackendName {
  return name === 'wasm-threaded' ? 'wasm' : name;
}

let current: BackendChoice | undefined;
/** Puts the package's own single-threaded 'wasm' registration back after a threaded attempt. */
let restoreStockWasm: (() => void) | undefined;

/** The backend chosen by the last `initBackend`, if any. */
export function currentBackend(): BackendChoice | undefined {
  return current;
}

async function tryOne(name: BackendName, loaders: Record<BackendName, BackendLoader>): Promise<void> {
  const threaded = name === 'wasm-threaded';
  if (TF_NAME[name] === 'wasm' && (threaded || restoreStockWasm)) {
    // Switching between the two wasm loaders: drop the running instance and its registration.
    if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
    restoreStockWasm?.();
    restoreStockWasm = undefined;
  }
  try {
    await loaders[name]();
    const ok = await tf.setBackend(TF_NAME[name]);
    if (!ok) throw new Error(`tf.setBackend('${TF_NAME[name]}') returned false`);
    await tf.ready();
  } catch (err) {
    if (threaded) {
      restoreStockWasm?.();
      restoreStockWasm = undefined;
    }
    throw err;
  }
}

async function describe(name: BackendName): Promise<string> {
  if (name !== 'wasm' && name !== 'wasm-threaded') return '';
  if (name === 'wasm') return `${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}, 1 thread`;
  const { wasmThreadsInUse } = await import('./wasm-threaded.js');
  const threads = wasmThreadsInUse();
  return `SIMD, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * Make `request` the active backend. `auto` tries node-gpu, node, wasm, cpu in turn and records
 * why each one failed; an explicit name that fails to load is an error with the reason.
 */
export async function initBackend(
  request: BackendRequest = 'auto',
  loaders: Record<BackendName, BackendLoader> = DEFAULT_LOADERS,
): Promise<BackendChoice> {
  const order = request === 'auto' ? AUTO_ORDER : [request];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    try {
      await tryOne(name, loaders);
      current = { name, skipped, detail: await describe(name) };
      return current;
    } catch (err) {
      const reason = firstLine(err);
      if (request !== 'auto') {
        throw new UsageError(`backend "${name}" could not be loaded: ${reason}`, {
          hint: name.startsWith('node')
            ? 'install @tensorflow/tfjs-node(-gpu) with its libtensorflow, or use --backend wasm'
            : 'use --backend auto to take the first backend that loads',
        });
      }
      skipped.push({ name, reason });
    }
  }
  throw new UsageError('no TensorFlow.js backend could be loaded', {
    hint: skipped.map((s) => `${s.name}: ${s.reason}`).join('; '),
  });
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (package|module)/.test(msg)) return 'not installed';
  return msg.split('\n')[0] ?? msg;
}
