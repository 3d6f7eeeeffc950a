/** Tests run on the backend named by TTM_TEST_BACKEND (default cpu), or on each listed one. */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../src/runtime/backend.js';
import { enableGradients } from '../../src/runtime/gradients.js';

export async function useBackend(name: BackendName): Promise<void> {
  // Tests call training code directly; the product enables gradients where it trains (fit).
  await enableGradients();
  if (tf.getBackend() === (name === 'node' || name === 'node-gpu' ? 'tensorflow' : name)) return;
  await initBackend(name);
}

/** Backends the parity tests run on. */
export const PARITY_BACKENDS: BackendName[] = ['cpu', 'wasm'];
