/**
 * OneCycle learning-rate schedule with PyTorch's `torch.optim.lr_scheduler.OneCycleLR` semantics
 * (1.13): warm up from max_lr / div_factor to max_lr over pct_start of the steps, then anneal to
 * initial_lr / final_div_factor; with cycle_momentum, AdamW's beta1 moves the opposite way
 * (max_momentum → base_momentum → max_momentum).
 *
 * A pure function of the step: `oneCycle(k, sched)` is what optimizer step k (0-based) uses.
 * The checkpointable state is the schedule (plain data) plus the next step.
 */
import { ConfigError, CheckpointError, TrainingError } from '../errors.js';

/** OneCycleLR's arguments, named as in PyTorch. */
export interface OneCycleSchedule {
  total_steps: number;
  max_lr: number;
  pct_start: number;
  div_factor: number;
  final_div_factor: number;
  anneal_strategy: 'cos' | 'linear';
  three_phase: boolean;
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
}

/** What one optimizer step uses. */
export interface OneCycleValues {
  lr: number;
  /** AdamW's beta1 when cycle_momentum is on, else undefined (keep the optimizer's own). */
  beta1: number | undefined;
}

/** The schedule plus the index of the next optimizer step, for checkpoints. */
export interface OneCycleState {
  schedule: OneCycleSchedule;
  step: number;
}

/** PyTorch's defaults for everything but total_steps and max_lr. */
export const ONE_CYCLE_DEFAULTS = {
  pct_start: 0.3,
  div_factor: 25,
  final_div_factor: 1e4,
  anneal_strategy: 'cos',
  three_phase: false,
  cycle_momentum: true,
  base_momentum: 0.85,
  max_momentum: 0.95,
} as const satisfies Omit<OneCycleSchedule, 'total_steps' | 'max_lr'>;

const SCHEDULE_KEYS: (keyof OneCycleSchedule)[] = [
  'total_steps', 'max_lr', 'pct_start', 'div_factor', 'final_div_factor',
  'anneal_strategy', 'three_phase', 'cycle_momentum', 'base_momentum', 'max_momentum',
];

/** Fill PyTorch's defaults (unknown keys dropped) and check the arguments as OneCycleLR does. */
export function oneCycleSchedule(
  args: Pick<OneCycleSchedule, 'total_steps' | 'max_lr'> & Partial<OneCycleSchedule>,
): OneCycleSchedule {
  const given = Object.fromEntries(SCHEDULE_KEYS.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
  const s = { ...ONE_CYCLE_DEFAULTS, ...given } as OneCycleSchedule;
  const bad = (what: string) => new ConfigError(`OneCycle schedule: ${what}`);
  for (const k of SCHEDULE_KEYS) {
    const want = k === 'anneal_strategy' ? 'string' : k === 'three_phase' || k === 'cycle_momentum' ? 'boolean' : 'number';
    if (typeof s[k] !== want || (want === 'number' && !Number.isFinite(s[k]))) {
      throw bad(`${k} must be a ${want === 'number' ? 'finite number' : want}, got ${JSON.stringify(s[k])}`);
    }
  }
  if (!Number.isInteger(s.total_steps) || s.total_steps <= 0) {
    throw bad(`total_steps must be a positive integer, got ${s.total_steps}`);
  }
  if (!(s.max_lr > 0)) throw bad(`max_lr must be positive, got ${s.max_lr}`);
  if (!(s.pct_start >= 0 && s.pct_start <= 1)) throw bad(`pct_start must be in [0, 1], got ${s.pct_start}`);
  if (!(s.div_factor > 0) || !(s.final_div_factor > 0)) {
    throw bad(`div_factor and final_div_factor must be positive, got ${s.div_factor}, ${s.final_div_factor}`);
  }
  if (s.anneal_strategy !== 'cos' && s.anneal_strategy !== 'linear') {
    throw bad(`anneal_strategy must be "cos" or "linear", got "${String(s.anneal_strategy)}"`);
  }
  if (s.cycle_momentum && !(s.base_momentum >= 0 && s.base_momentum <= s.max_momentum && s.max_momentum < 1)) {
    throw bad(`need 0 <= base_momentum <= max_momentum < 1, got ${s.base_momentum}, ${s.max_momentum}`);
  }
  return s;
}

/** Cosine from start (pct 0) to end (pct 1), as PyTorch's `_annealing_cos`. */
function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
}

/** Straight line, as PyTorch's `_annealing_linear`. */
function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

interface Phase {
  endStep: number;
  lr: [number, number];
  momentum: [number, number];
}

function phases(s: OneCycleSchedule): Phase[] {
  const initial = s.max_lr / s.div_factor;
  const min = initial / s.final_div_factor;
  const { base_momentum: lo, max_momentum: hi, total_steps: T } = s;
  const up = s.pct_start * T - 1;
  if (s.three_phase) {
    return [
      { endStep: up, lr: [initial, s.max_lr], momentum: [hi, lo] },
      { endStep: 2 * s.pct_start * T - 2, lr: [s.max_lr, initial], momentum: [lo, hi] },
      { endStep: T - 1, lr: [initial, min], momentum: [hi, hi] },
    ];
  }
  return [
    { endStep: up, lr: [initial, s.max_lr], momentum: [hi, lo] },
    { endStep: T - 1, lr: [s.max_lr, min], momentum: [lo, hi] },
  ];
}

/**
 * Learning rate and beta1 for optimizer step `step` (0-based; PyTorch's `last_epoch`).
 * Like PyTorch, `step` may equal total_steps (the value after the last step) but not exceed it.
 */
export function oneCycle(step: number, sched: OneCycleSchedule): OneCycleValues {
  if (!Number.isInteger(step) || step < 0 || step > sched.total_steps) {
    throw new TrainingError(`OneCycle schedule: step ${step} is outside 0..${sched.total_steps}`, {
      hint: 'a resumed run must use the same epochs, batch size and data as the run that wrote the checkpoint',
    });
  }
  const anneal = sched.anneal_strategy === 'cos' ? annealCos : annealLinear;
  const ps = phases(sched);
  let startStep = 0;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (step <= p.endStep || i === ps.length - 1) {
      const span = p.endStep - startStep;
      // A zero-length phase (PyTorch divides by zero there) ends at once: its end value.
      const pct = span === 0 ? 1 : (step - startStep) / span;
      return {
        lr: anneal(p.lr[0], p.lr[1], pct),
        beta1: sched.cycle_momentum ? anneal(p.momentum[0], p.momentum[1], pct) : undefined,
      };
    }
    startStep = p.endStep;
  }
  throw new Error('unreachable');
}

/** The learning rate alone (nanoGPT's `get_lr`). */
export function oneCycleLr(step: number, sched: OneCycleSchedule): number {
  return oneCycle(step, sched).lr;
}

/** Check a state read back from a checkpoint (JSON) and return it typed. */
export function parseOneCycleState(value: unknown): OneCycleState {
  const fail = (what: string) => new CheckpointError(`scheduler state: ${what}`);
  if (typeof value !== 'object' || value === null) throw fail('not an object');
  const { schedule, step } = value as Record<string, unknown>;
  if (typeof schedule !== 'object' || schedule === null) throw fail('missing "schedule"');
  for (const k of SCHEDULE_KEYS) {
    if (!(k in schedule)) throw fail(`missing "schedule.${k}"`);
  }
  let parsed: OneCycleSchedule;
  try {
    parsed = oneCycleSchedule(schedule as OneCycleSchedule);
  } catch (err) {
    throw new CheckpointError(`scheduler state: ${(err as Error).message}`, { cause: err });
  }
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > parsed.total_steps) {
    throw fail(`"step" must be an integer in 0..${parsed.total_steps}, got ${String(step)}`);
  }
  return { schedule: parsed, step };
}
