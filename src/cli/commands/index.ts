/** Every subcommand, in the order `ttm --help` lists them. Each module only declares flags. */
import type { Command } from 'commander';
import * as info from './info.js';
import * as forward from './forward.js';
import * as pull from './pull.js';
import * as train from './train.js';
import * as synth from './synth.js';
import * as validate from './validate.js';
import * as predict from './predict.js';
import * as evaluate from './evaluate.js';
import * as demo from './demo.js';
import * as serve from './serve.js';
import * as models from './models.js';
import * as keys from './keys.js';

export const COMMANDS: ((program: Command) => void)[] = [
  info.register,
  forward.register,
  pull.register,
  synth.register,
  validate.register,
  train.register,
  predict.register,
  evaluate.register,
  demo.register,
  serve.register,
  models.register,
  keys.register,
];
