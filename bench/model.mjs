#!/usr/bin/env node
// Model benchmark: forward latency, training steps and whole-process times against the PyTorch
// figures of issue 3 (OpenBLAS, 2 threads). Needs the build (dist/). Each backend runs in its own
// child process (a fresh engine, no cross-backend state); the runner calls runModelBench().
// Run directly: `node --expose-gc bench/model.mjs [backend...]` prints a table.
// Profile mode: `node --expose-gc bench/model.mjs --profile wasm` prints per-kernel times.
// Lower bound: `node bench/model.mjs --matmul-bound wasm r2-style 32` times a forward's matMuls alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const fixture = (name) => join(root, 'tests', 'fixtures', 'ttm', name);

/** PyTorch 1.13 CPU, OpenBLAS, 2 threads, from issue 3 (milliseconds). */
export const PYTORCH_MS = {
  'forward seed-config b1': 2.1,
  'forward seed-config b32': 6.6,
  'forward seed-config b900': 123,
  'forward r2-style b32': 19.8,
  'train step seed-config b64 (all)': 33.9,
  'train step r2-style b64 (backbone frozen)': 56.3,
  'process: ttm forward b1': 740,
  'process: ttm --help': 300, // the target, not a PyTorch figure
};

const BACKENDS = ['node-gpu', 'node', 'wasm-threaded', 'wasm', 'cpu'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median of timed runs after warm-up; stops after `budgetMs` once `minRuns` are done. */
async function timeIt(fn, { warmup = 3, minRuns = 5, maxRuns = 50, budgetMs = 3000 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const cpu = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < budgetMs)) {
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  // CPU time too: on a shared machine it moves less than wall time when others load the cores.
  return { ms: median(times), cpuMs: median(cpu), runs: times.length };
}

/** Random inputs for `cfg` at batch B (categorical indices inside their vocabularies). */
function makeInputs(tf, cfg, B, withFuture) {
  const L = cfg.context_length;
  const C = cfg.num_input_channels;
  const inputs = { pastValues: tf.randomNormal([B, L, C], 0, 1, 'float32', 1) };
  if (withFuture) inputs.futureValues = tf.randomNormal([B, cfg.prediction_length, C], 0, 1, 'float32', 2);
  const vocab = cfg.categorical_vocab_size_list ?? [];
  if (vocab.length > 0) {
    const idx = Float32Array.from({ length: B * vocab.length }, (_, i) => (i * 7) % vocab[i % vocab.length]);
    inputs.staticCategoricalValues = tf.tensor2d(idx, [B, vocab.length]);
  }
  if (cfg.resolution_prefix_tuning) inputs.freqToken = tf.zeros([B]);
  return inputs;
}

const disposeAll = (inputs) => Object.values(inputs).forEach((t) => t.dispose());

/** Eval-mode forward; the prediction is read outside tidy (the trap). */
async function forwardOnce(tf, model, inputs) {
  const out = tf.tidy(() => model.forward(inputs).predictionOutputs);
  await out.data();
  out.dispose();
}

/** The project's own train step (fwd + bwd + AdamW) on the parameters `isTrainable(strategy, path)` admits. */
function trainStepper(train, model, isTrainable, strategy) {
  const vars = train.trainableVariables(model, (path) => isTrainable(strategy, path));
  const opt = new train.AdamW(vars, { lr: 1e-4 });
  const step = async (inputs) => train.trainStep(model, opt, vars, inputs, { lr: 1e-4 });
  return { step, count: Object.values(vars).reduce((n, v) => n + v.size, 0), dispose: () => opt.dispose() };
}

/** Child side: all in-process rows for one backend, as JSON on stdout. */
async function measureBackend(backend) {
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import(dist('runtime/backend.js'));
  const { loadModel } = await import(dist('io/checkpoint.js'));
  const { isTrainable } = await import(dist('model/index.js'));
  const train = await import(dist('train/index.js'));
  let choice;
  try {
    choice = await initBackend(backend);
    await (await import(dist('runtime/gradients.js'))).enableGradients();
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ backend, error: err.message })}\n`);
    return;
  }
  const rows = [];
  const add = (work, r, extra = {}) => rows.push({ backend, work, ...r, ...extra });

  for (const [name, batches] of [['seed-config', [1, 32, 900]], ['r2-style', [32]]]) {
    const { model } = await loadModel(fixture(name));
    model.prepareForInference();
    for (const B of batches) {
      const inputs = makeInputs(tf, model.config, B, false);
      const slow = backend === 'cpu' && B * (name === 'r2-style' ? 47 : 1) > 500;
      add(`forward ${name} b${B}`, await timeIt(() => forwardOnce(tf, model, inputs), slow ? { warmup: 1, minRuns: 3, budgetMs: 5000 } : {}));
      disposeAll(inputs);
    }
    model.dispose();
  }

  for (const [name, strategy, label] of [['seed-config', 'all', 'all'], ['seed-config', 'fc1-fc2', 'fc1-fc2'], ['r2-style', 'decoder-head', 'backbone frozen']]) {
    const { model } = await loadModel(fixture(name));
    const inputs = makeInputs(tf, model.config, 64, true);
    const trainer = trainStepper(train, model, isTrainable, strategy);
    const slow = backend === 'cpu' && name === 'r2-style';
    const r = await timeIt(() => trainer.step(inputs), slow ? { warmup: 1, minRuns: 3, budgetMs: 5000 } : { warmup: 2, minRuns: 5 });
    add(`train step ${name} b64 (${label})`, r, { params: trainer.count });
    trainer.dispose();
    disposeAll(inputs);
    model.dispose();
  }
  const mem = tf.memory();
  process.stdout.write(`${JSON.stringify({ backend, detail: choice.detail, numTensors: mem.numTensors, rows })}\n`);
}

/** Median wall time of `node bin/ttm.js ...args` over `runs` runs. */
function processTime(args, runs = 5) {
  const times = [];
  let stderr = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin', 'ttm.js'), ...args], { encoding: 'utf8', cwd: root });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`ttm ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    stderr = r.stderr;
  }
  return { ms: median(times), runs, stderr };
}

/** A batch-1 inputs file cut from the seed-config fixture (first sample, no future values). */
async function writeBatch1Inputs(file) {
  const { readSafetensorsFile } = await import(dist('io/safetensors-file.js'));
  const { serializeSafetensors } = await import(dist('io/safetensors.js'));
  const { tensors } = await readSafetensorsFile(join(fixture('seed-config'), 'inputs.safetensors'));
  const out = new Map();
  for (const key of ['past_values', 'static_categorical_values']) {
    const t = tensors.get(key);
    const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
    out.set(key, { dtype: 'F32', shape: [1, ...t.shape.slice(1)], data: Float32Array.from(t.data.slice(0, per)) });
  }
  writeFileSync(file, serializeSafetensors(out));
}

function withReference(row, detail) {
  const ref = PYTORCH_MS[row.work];
  const ms = Number(row.ms.toFixed(row.ms < 10 ? 2 : 1));
  return {
    name: `model ${row.backend}: ${row.work}`,
    figures: {
      ms,
      pytorchMs: ref,
      ratio: ref ? Number((row.ms / ref).toFixed(2)) : undefined,
      ...(row.cpuMs !== undefined ? { cpuMs: Number(row.cpuMs.toFixed(row.cpuMs < 10 ? 2 : 1)) } : {}),
      runs: row.runs,
      ...(row.params ? { params: row.params } : {}),
      // training throughput: windows per second at batch 64
      ...(row.work.startsWith('train step') ? { windowsPerSecond: Math.round((64 * 1000) / row.ms) } : {}),
      ...(detail ? { detail } : {}),
    },
  };
}

/** Runs every backend that loads (each in a child process) plus the whole-process rows. */
export async function runModelBench({ backends = BACKENDS } = {}) {
  const rows = [];
  const skipped = [];
  for (const backend of backends) {
    const child = spawnSync(process.execPath, ['--expose-gc', here, '--measure', backend], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`model bench on ${backend} failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop());
    if (result.error) {
      skipped.push({ backend, reason: result.error });
      continue;
    }
    for (const r of result.rows) rows.push(withReference(r, result.detail));
  }
  const dir = mkdtempSync(join(tmpdir(), 'ttm-bench-model-'));
  try {
    const inputs = join(dir, 'inputs.safetensors');
    await writeBatch1Inputs(inputs);
    const fwd = processTime(['forward', '--model', fixture('seed-config'), '--inputs', inputs, '--out', join(dir, 'out.safetensors')]);
    const used = fwd.stderr.match(/backend:? (\S+)/i)?.[1] ?? 'auto';
    rows.push(withReference({ backend: used, work: 'process: ttm forward b1', ...fwd }));
    rows.push(withReference({ backend: 'none', work: 'process: ttm --help', ...processTime(['--help']) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const s of skipped) rows.push({ name: `model ${s.backend}: not loaded`, figures: { reason: s.reason } });
  return rows;
}

/** Per-kernel profile of one eval forward (and one train step) on `backend`, printed as text. */
async function profileBackend(backend, caseName = 'seed-config', B = 32) {
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import(dist('runtime/backend.js'));
  const { loadModel } = await import(dist('io/checkpoint.js'));
  const { isTrainable } = await import(dist('model/index.js'));
  const train = await import(dist('train/index.js'));
  await initBackend(backend);
  await (await import(dist('runtime/gradients.js'))).enableGradients();
  const { model } = await loadModel(fixture(caseName));
  const report = async (label, fn, reps) => {
    for (let i = 0; i < 3; i++) await fn();
    const byKernel = new Map();
    let kernels = 0;
    let wall = 0;
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const info = await tf.profile(fn);
      wall += performance.now() - t0;
      kernels += info.kernels.length;
      for (const k of info.kernels) {
        const e = byKernel.get(k.name) ?? { n: 0, ms: 0 };
        e.n += 1;
        e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        byKernel.set(k.name, e);
      }
    }
    const total = [...byKernel.values()].reduce((a, e) => a + e.ms, 0) / reps;
    console.log(`\n${label}: ${kernels / reps} kernels, kernel time ${total.toFixed(2)} ms, wall under profiler ${(wall / reps).toFixed(2)} ms`);
    const sorted = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
    for (const [name, e] of sorted.slice(0, 18)) {
      console.log(`  ${name.padEnd(22)} ${String(e.n / reps).padStart(5)} calls ${(e.ms / reps).toFixed(2).padStart(8)} ms ${((100 * e.ms) / reps / total).toFixed(1).padStart(5)} %`);
    }
  };
  model.prepareForInference();
  const inputs = makeInputs(tf, model.config, B, true);
  await report(`${backend} ${caseName} eval forward b${B}`, () => forwardOnce(tf, model, inputs), 5);
  model.dropInferenceCache();
  const strategy = caseName === 'r2-style' ? 'decoder-head' : 'all';
  const trainer = trainStepper(train, model, isTrainable, strategy);
  await report(`${backend} ${caseName} train step b${B} (${strategy})`, () => trainer.step(inputs), 3);
  trainer.dispose();
  disposeAll(inputs);
  model.dispose();
}

/**
 * A lower bound for a forward: its matrix products alone, with the same shapes, run back to back
 * (no other kernel, no op wrappers). Prints GFLOP, the best and median times and the throughput.
 */
async function matmulBound(backend, caseName = 'r2-style', B = 32, training = false) {
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import(dist('runtime/backend.js'));
  const { loadModel } = await import(dist('io/checkpoint.js'));
  await initBackend(backend);
  const { model } = await loadModel(fixture(caseName));
  model.prepareForInference();
  const inputs = makeInputs(tf, model.config, B, false);
  const info = await tf.profile(() => model.forward(inputs).predictionOutputs);
  const products = info.kernels
    .filter((k) => k.name === '_FusedMatMul' || k.name === 'BatchMatMul')
    .map((k) => {
      const [a, b] = k.inputShapes;
      return { batch: a.length > 2 ? a[0] : 1, M: a[a.length - 2], K: a[a.length - 1], N: b[b.length - 1] };
    });
  const flops = products.reduce((f, p) => f + 2 * p.batch * p.M * p.K * p.N, 0);
  const operands = products.map((p) => ({ a: tf.randomNormal([p.batch, p.M, p.K]), b: tf.randomNormal([p.batch, p.K, p.N]), bias: tf.zeros([p.N]) }));
  const attrs = { transposeA: false, transposeB: false, activation: 'linear' };
  const run = async () => {
    const outs = operands.map((o) => tf.engine().runKernel('_FusedMatMul', o, attrs));
    await outs[outs.length - 1].data();
    tf.dispose(outs);
  };
  for (let i = 0; i < 5; i++) await run();
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  const factor = training ? 3 : 1; // a backward pass costs two more products of each shape
  console.log(JSON.stringify({
    backend, case: caseName, batch: B, products: products.length, gflop: +(factor * flops / 1e9).toFixed(3),
    bestMs: +(factor * best).toFixed(1), medianMs: +(factor * median(times)).toFixed(1), gflopPerS: +(flops / 1e6 / best).toFixed(1),
    note: training ? 'forward products x3 (backward: dX and dW of each)' : 'forward products only',
  }));
}

if (process.argv[1] === here) {
  const [flag, ...rest] = process.argv.slice(2);
  if (flag === '--measure') {
    await measureBackend(rest[0]);
  } else if (flag === '--matmul-bound') {
    await matmulBound(rest[0] ?? 'wasm', rest[1], rest[2] ? Number(rest[2]) : undefined, rest[3] === 'train');
  } else if (flag === '--profile') {
    await profileBackend(rest[0] ?? 'wasm', rest[1], rest[2] ? Number(rest[2]) : undefined);
  } else {
    const rows = await runModelBench(flag ? { backends: [flag, ...rest] } : undefined);
    for (const r of rows) console.log(`${r.name.padEnd(60)} ${JSON.stringify(r.figures)}`);
  }
}
