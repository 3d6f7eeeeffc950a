/**
 * Fine-tuning strategies: which parameters train. Rules are on parameter names (tree paths and
 * PyTorch keys agree on the parts the rules read: "fc1"/"fc2", the leading "backbone").
 */
export const STRATEGIES = ['fc1-fc2', 'decoder-head', 'all'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const STRATEGY_TEXT: Record<Strategy, string> = {
  'fc1-fc2': "the design's rule: only parameters whose name contains fc1 or fc2",
  'decoder-head': "IBM's few-shot recipe: backbone frozen, decoder and head train",
  all: 'every parameter trains',
};

/** Buffers and fixed tables never train, whatever the strategy. */
const NEVER = /(running_?[mM]ean|running_?[vV]ar|num_?[bB]atches_?[tT]racked)$/;

export function isTrainable(strategy: Strategy, name: string, isFixed = false): boolean {
  if (isFixed || NEVER.test(name)) return false;
  switch (strategy) {
    case 'fc1-fc2':
      return name.includes('fc1') || name.includes('fc2');
    case 'decoder-head':
      return !name.startsWith('backbone.');
    case 'all':
      return true;
  }
}
