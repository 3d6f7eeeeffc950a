/**
 * The one place that knows PyTorch's parameter names. Parameter-tree paths are the reference's
 * module paths in camelCase, so most names are a plain case change; the exceptions are the
 * frequency-prefix MLP, an nn.Sequential whose children are numbered (freq_mod.0/.1/.3).
 */
const SEQUENTIAL_CHILDREN: Record<string, Record<string, string>> = {
  freqMod: { embedding: '0', linearIn: '1', linearOut: '3' },
};

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `backbone.encoder.mlpMixerEncoder.mixers.0.patchMixer.mlp.fc1.weight` → PyTorch key. */
export function pytorchKey(path: string): string {
  const parts = path.split('.');
  return parts
    .map((part, i) => SEQUENTIAL_CHILDREN[parts[i - 1]]?.[part] ?? snake(part))
    .join('.');
}

/** Parameters that are buffers in PyTorch (never trained). */
export function isBuffer(key: string): boolean {
  return /\.(running_mean|running_var|num_batches_tracked)$/.test(key);
}

/** Stored as I64 by PyTorch. */
export function isInt64(key: string): boolean {
  return key.endsWith('.num_batches_tracked');
}
