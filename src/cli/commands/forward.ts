import { SCHEMA_VERSION } from '../../config/schema-version.js';
import type { Command } from 'commander';
import { addBackendOption, startBackend } from '../backend-option.js';
import { printJson, status } from '../output.js';

export function register(program: Command): void {
  addBackendOption(
    program
      .command('forward')
      .description('run a checkpoint on an inputs file and write every output (and gradients) as safetensors, keyed as the reference fixtures')
      .requiredOption('--model <dir>', 'checkpoint directory (config.json + model.safetensors)')
      .requiredOption('--inputs <file>', 'safetensors with past_values [, past_observed_mask, future_values, future_observed_mask, static_categorical_values, freq_token]')
      .requiredOption('--out <file>', 'safetensors to write: prediction_outputs, backbone_hidden_state, decoder_hidden_state, loc, scale, loss, loss_by_type.*, hidden_states.NN, intermediate.*')
      .option('--grads', 'also write grad.<parameter> of the configured loss (training mode) for every parameter')
      .option('--json', 'print a JSON summary of what was written')
      .addHelpText('after', '\nExample:\n  $ ttm forward --model tests/fixtures/ttm/seed-config --inputs tests/fixtures/ttm/seed-config/inputs.safetensors --out /tmp/out.safetensors --grads'),
  ).action(async (opts: { model: string; inputs: string; out: string; grads?: boolean; json?: boolean; backend?: string }) => {
    const backend = await startBackend(opts.backend);
    const { runForward } = await import('../../io/run-forward.js');
    const result = await runForward(opts);
    if (opts.json) printJson({ schema_version: SCHEMA_VERSION, backend, ...result });
    else status(`wrote ${result.keys.length} tensors to ${result.out} in ${result.millis.toFixed(0)} ms`);
  });
}
