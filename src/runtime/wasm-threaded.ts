/**
 * tfjs-backend-wasm with XNNPACK's thread pool under Node.
 *
 * The package never starts threads under Node: its WASM_HAS_MULTITHREAD_SUPPORT flag is false
 * when IS_NODE, and its loader hands Emscripten browser blob URLs for the pthread worker and the
 * main script. Three things make the threaded-SIMD binary work here, all from outside the package
 * (node_modules stays as installed):
 * 1. the pthread worker script (the package's `wasmWorkerContents`, which has a Node branch on
 *    worker_threads) is written to a file, and the main script is the package's own
 *    wasm-out/tfjs-backend-wasm-threaded-simd.js, both handed to Emscripten as paths;
 * 2. the backend's C++ init caps the pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *    hyperthreads per core), which is 1 on a 2-core machine whatever setThreadsCount asked for;
 *    the wasm import that answers that question is replaced so the cap is the requested count;
 * 3. the module is created here and the ready instance is registered as the 'wasm' backend, so
 *    every wasm kernel applies and a failure is an error here, not a console warning in tfjs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

const THREADED = 'tfjs-backend-wasm-threaded-simd';
const START_TIMEOUT_MS = 30_000;

/** The thread count used when none is asked for: every core Node reports. */
export function defaultWasmThreads(): number {
  return Math.max(1, availableParallelism());
}

interface EmscriptenModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  tfjs?: Record<string, unknown>;
  PThread?: { runningWorkers: { unref: () => void }[] };
}
type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;
type WasmPackage = {
  BackendWasm: new (module: EmscriptenModule) => tf.KernelBackend;
  setThreadsCount: (n: number) => void;
  getThreadsCount: () => number;
};

function wasmPackage(): { pkg: WasmPackage; out: string; version: string } {
  const pkgJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const version = (require(pkgJson) as { version: string }).version;
  return { pkg: require('@tensorflow/tfjs-backend-wasm') as WasmPackage, out: join(dirname(pkgJson), 'wasm-out'), version };
}

/**
 * The pthread worker as a file (CommonJS, outside any "type": "module" package), written once
 * per package version; its string keeps the `\n` escapes the package's own loader restores.
 */
async function workerScript(out: string, version: string): Promise<string> {
  const { wasmWorkerContents } = require(join(out, `${THREADED}.worker.js`)) as { wasmWorkerContents: string };
  const file = join(tmpdir(), `ttm-wasm-${version}`, `${THREADED}.worker.cjs`);
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  if (existsSync(file) && (await fs.readFile(file, 'utf8')) === text) return file;
  await fs.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file); // atomic: a concurrent process sees the old file or the whole new one
  return file;
}

export interface ThreadedWasm {
  /** Threads in XNNPACK's pool, as the backend reports it after init. */
  threads: number;
}

/**
 * Create the threaded-SIMD module and register it as tfjs's 'wasm' backend (replacing the
 * package's single-threaded registration, which `restore` puts back). Call before
 * `tf.setBackend('wasm')`. Throws when the binary or the workers cannot start.
 */
export async function registerThreadedWasm(threads = defaultWasmThreads()): Promise<{ restore: () => void }> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`wasm threads must be a positive integer, got ${threads}`);
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is not available');
  const { pkg, out, version } = wasmPackage();
  const worker = await workerScript(out, version);
  const mainScript = join(out, `${THREADED}.js`);
  const wasmFile = join(out, `${THREADED}.wasm`);
  // Compiled here so that a bad binary is an error here; instantiated synchronously inside the
  // loader's callback, whose own try/catch then rejects the module's promise on a failure.
  const compiled = await WebAssembly.compile(await fs.readFile(wasmFile));
  const factory = require(mainScript) as Factory;
  const created = factory({
    locateFile: (path: string, prefix: string) =>
      path.endsWith('.worker.js') ? worker : path.endsWith('.wasm') ? wasmFile : prefix + path,
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm(info: { env: Record<string, unknown> }, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
      // backend.cc: pool = min(requested, logical_cores / 2); answer so that the cap is `threads`.
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      const instance = new WebAssembly.Instance(compiled, info as WebAssembly.Imports);
      receive(instance, compiled);
      return instance.exports;
    },
  });
  // The module resolves once its pthread workers have loaded; a worker that never does would hang.
  let timer: NodeJS.Timeout | undefined;
  const module = await Promise.race([
    created,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the pthread workers did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  pkg.setThreadsCount(threads);
  const backend = new pkg.BackendWasm(module); // creates XNNPACK's pool: its pthreads start now
  // Emscripten refs the worker of every running pthread, so the pool's idle threads would keep
  // the process alive after the command is done; they hold no state of ours.
  for (const w of module.PThread?.runningWorkers ?? []) w.unref();
  const stock = tf.findBackendFactory('wasm');
  const priority = 2;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => backend, priority);
  return {
    restore: () => {
      if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
      if (stock) tf.registerBackend('wasm', stock, priority);
    },
  };
}

/** Threads of the wasm backend's pool once it is initialised (1 for the stock loader). */
export function wasmThreadsInUse(): number {
  try {
    return wasmPackage().pkg.getThreadsCount();
  } catch {
    return 1;
  }
}
