import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Runs fn and checks that it leaves no tensor behind. */
export async function expectNoLeak(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors).toBe(before);
}
