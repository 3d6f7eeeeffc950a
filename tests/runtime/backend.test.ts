import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, parseBackendRequest, DEFAULT_LOADERS } from '../../src/runtime/backend.js';

describe('runtime/backend', () => {
  it('auto falls back past missing native packages to wasm and says why', async () => {
    const choice = await initBackend('auto');
    // On this machine the optional native packages are not installed; on a CUDA machine they would load.
    if (choice.name === 'wasm') {
      expect(choice.skipped.map((s) => s.name)).toEqual(['node-gpu', 'node']);
      for (const s of choice.skipped) expect(s.reason.length).toBeGreaterThan(0);
      expect(tf.getBackend()).toBe('wasm');
    } else {
      expect(['node-gpu', 'node']).toContain(choice.name);
    }
  });

  it('falls through to cpu when every faster loader fails', async () => {
    const failing = async () => {
      throw new Error("Cannot find package 'x'");
    };
    const choice = await initBackend('auto', {
      ...DEFAULT_LOADERS,
      'node-gpu': failing,
      node: failing,
      wasm: failing,
    });
    expect(choice.name).toBe('cpu');
    expect(choice.skipped.map((s) => s.name)).toEqual(['node-gpu', 'node', 'wasm']);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('an explicit backend that does not load is a usage error', async () => {
    await expect(
      initBackend('node', { ...DEFAULT_LOADERS, node: async () => Promise.reject(new Error('no libtensorflow')) }),
    ).rejects.toThrow(/backend "node" could not be loaded: no libtensorflow/);
  });

  it('rejects unknown names with the list of valid ones', () => {
    expect(parseBackendRequest('WASM')).toBe('wasm');
    expect(() => parseBackendRequest('gpu')).toThrow(/unknown backend "gpu"/);
  });
});
