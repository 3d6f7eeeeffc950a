/**
 * CLI advice for library errors: the library names the input an error is about (`param`) and
 * gives a front-end neutral hint; here the CLI says which flag to change.
 */
import type { ErrorParam, TtmError } from '../errors.js';

const FLAG_HINTS: Record<ErrorParam, string> = {
  produto: 'pass a --produto value from the produto_cat column',
  regiao: 'pass a --regiao value from the uf_cat column of that produto',
  horizon: 'pass another --horizon',
  context: 'pass another --context',
  model: 'point --model at the directory ttm train wrote',
  data: 'check the path given to --data',
  levels: 'pass --interval levels between 0 and 1, e.g. 0.9 or 0.8,0.95',
  version: 'see the registered versions with ttm models list',
  registry: 'point --registry (or TTM_REGISTRY) at the registry directory',
  thresholds: 'check the --thresholds path',
  revision: 'pass another --revision, or leave it out to choose by --context/--horizon',
  cache: 'or pass --cache-dir DIR where it was downloaded',
  scaling: 'pass --scaling none with --transform log1p',
  lr: 'pass a lower --lr; ttm validate finds extreme values in the data',
  threads: 'run with --threads 1',
  resume: 'run again with --resume to continue, or without it to start over',
};

/** The hint lines the CLI prints for an error: the library's hint, then the flag to change. */
export function cliHints(err: TtmError): string[] {
  const hints = err.hint ? [err.hint] : [];
  if (err.param) hints.push(FLAG_HINTS[err.param]);
  return hints;
}
