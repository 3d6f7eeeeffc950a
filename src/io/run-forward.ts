/** `ttm forward`: checkpoint + inputs file → outputs file (written only when everything succeeded). */
import { checkIndexInputs, indexVocab, referenceOutputs } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { loadModel } from './checkpoint.js';
import { disposeInputs, inputsFromTensors, outputsToTensors } from './forward-io.js';
import { serializeSafetensors } from './safetensors.js';
import { readSafetensorsFile } from './safetensors-file.js';

export async function runForward(opts: { model: string; inputs: string; out: string; grads?: boolean }) {
  const { model } = await loadModel(opts.model);
  try {
    const file = await readSafetensorsFile(opts.inputs);
    checkIndexInputs(indexVocab(model.config), { staticCategorical: file.tensors.get('static_categorical_values')?.data, freqToken: file.tensors.get('freq_token')?.data });
    const inputs = inputsFromTensors(file.tensors, opts.inputs);
    try {
      const t0 = performance.now();
      const outputs = await referenceOutputs(model, inputs, { grads: opts.grads, hiddenStates: true, intermediates: true });
      const millis = performance.now() - t0;
      const tensors = outputsToTensors(outputs);
      await writeFileAtomic(opts.out, serializeSafetensors(tensors));
      return { out: opts.out, keys: [...tensors.keys()].sort(), millis };
    } finally {
      disposeInputs(inputs);
    }
  } finally {
    model.dispose();
  }
}
