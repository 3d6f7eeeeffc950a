/** `ttm serve`: the REST API (predictions, models, health, metrics) over HTTP or HTTPS. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { ConfigError, UsageError } from '../../errors.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { intOption } from '../parse-flags.js';
import { addSourceOptions } from '../warehouse-options.js';

interface ServeFlags {
  port: string;
  host: string;
  data?: string;
  future?: string;
  table?: string;
  query?: string;
  registry?: string;
  model?: string;
  auth?: string;
  audit: string;
  results: string;
  auditSync: boolean;
  tlsCert?: string;
  tlsKey?: string;
  workers: string;
  maxBatch: string;
  maxWait: string;
  batching: boolean;
  bodyLimit: string;
  requestTimeout: string;
  poll: string;
  logLevel: string;
  backend?: string;
}

export function register(program: Command): void {
  addBackendOption(addSourceOptions(
    program
      .command('serve')
      .description('serve forecasts over HTTP: POST /predict, /predict/batch; GET /models, /health, /metrics, /openapi.json')
      .option('--port <n>', 'TCP port (0 = any free one)', '8000')
      .option('--host <addr>', 'address to listen on', '127.0.0.1')
      .option('--data <file|url>', `weekly sales CSV (or a postgres:// URL with --table or --query) whose series /predict looks up by key (default ${DEFAULT_PATHS.data} when it exists)`)
      .option('--future <file>', "CSV of the forecast weeks' covariates (date, produto_cat, uf_cat and the model's --covariates columns) for a model trained with covariates: key-based /predict requests and the dashboard use it; a request's own \"future\" replaces it for its series")
      .option('--registry <dir>', 'model registry: serve its active version and follow promotions (env TTM_REGISTRY)')
      .option('--model <dir>', `one trained model directory (default ${DEFAULT_PATHS.model})`)
      .option('--auth <file>', 'auth file with API keys (ttm keys create) and the OIDC provider (env TTM_AUTH_FILE)')
      .option('--results <dir>', 'folder whose evaluations/ holds the ttm evaluate reports the dashboard shows', DEFAULT_PATHS.results)
      .option('--audit <file>', 'audit trail, JSON Lines, appended', join(DEFAULT_PATHS.results, 'audit.jsonl'))
      .option('--no-audit-sync', 'do not fdatasync each audit entry (faster; a machine crash may lose the last entries)')
      .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (TLS 1.3 only)')
      .option('--tls-key <file>', 'PEM private key for --tls-cert')
      .option('--workers <n>', 'processes sharing the port, each with its own model (use the cores); /metrics adds them all up', '1')
      .option('--max-batch <n>', 'most series per model call (micro-batching)', '32')
      .option('--max-wait <ms>', 'most a request waits for others to share its model call', '100')
      .option('--no-batching', 'one model call per request (same as --max-batch 1)')
      .option('--body-limit <bytes>', 'largest request body (413 above)', String(4 * 1024 * 1024))
      .option('--request-timeout <ms>', 'a request not answered in this time gets 503', '30000')
      .option('--poll <ms>', 'how often to look for a newly promoted version (--registry; 0 = never)', '1000')
      .option('--log-level <level>', 'fatal|error|warn|info|debug', 'info')
      .addHelpText('after', `
Examples:
  $ ttm keys create --id erp --role business_user --auth auth.json
  $ ttm serve --model final_ttm_model --auth auth.json
  $ ttm serve --model final_ttm_model --data dados/db_tratado-w.csv --results results_ttm_model --auth auth.json
      (then open http://127.0.0.1:8000/dashboard with a key whose role has view_dashboards)
  $ ttm serve --model promo_model --data vendas.csv --future promo-plan.csv --auth auth.json
      (a model trained with --covariates: the planned prices and promotions of the forecast weeks)
  $ ttm serve --registry models/ --auth auth.json --workers 2 --tls-cert cert.pem --tls-key key.pem
  $ curl -s -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \\
      -d '{"produto_id": 12, "regiao_id": 3, "horizon": 4}' http://127.0.0.1:8000/predict
  $ curl -s -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"produto_id": 12, "regiao_id": 3,
      "future": [{"date": "2026-01-05", "price": 2.5, "base_price": 2.99, "feature": 0, "display": 1, "tpr": 0}, …]}' \\
      http://127.0.0.1:8000/predict   (a covariate model: one row per forecast week)`)),
  ).action(async (flags: ServeFlags) => {
    if (flags.registry && flags.model) throw new UsageError('--registry and --model exclude each other');
    if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) throw new UsageError('--tls-cert and --tls-key go together');
    const port = intOption('--port', flags.port, 0, 65535);
    const workers = intOption('--workers', flags.workers, 1, 64);
    const maxBatch = flags.batching ? intOption('--max-batch', flags.maxBatch, 1, 4096) : 1;
    const maxWaitMs = intOption('--max-wait', flags.maxWait, 0, 10_000);
    const bodyLimit = intOption('--body-limit', flags.bodyLimit, 1024);
    const requestTimeoutMs = intOption('--request-timeout', flags.requestTimeout, 100);
    const pollMs = intOption('--poll', flags.poll, 0);
    const { dataSource, isPgUrl } = await import('../../data/index.js');
    const data =
      flags.table !== undefined || flags.query !== undefined || (flags.data !== undefined && isPgUrl(flags.data))
        ? dataSource({ data: flags.data ?? '', table: flags.table, query: flags.query, dataIsDefault: flags.data === undefined })
        : flags.data ?? (existsSync(DEFAULT_PATHS.data) ? DEFAULT_PATHS.data : null);
    if (flags.future && data === null) throw new UsageError('--future gives the forecast weeks of the served series: it needs --data', { hint: 'pass --data FILE with the sales history' });

    const { authFileFromEnv, registryFromEnv } = await import('../../config/env.js');
    const authFile = flags.auth ?? authFileFromEnv();
    if (!authFile) throw new UsageError('pass --auth FILE (or set TTM_AUTH_FILE): every endpoint but /health needs a credential', { hint: 'create one with: ttm keys create --id NAME --role business_user --auth auth.json' });

    const { readAuthFile } = await import('../../config/auth-file.js');
    const auth = await readAuthFile(authFile);
    // the primary of --workers only forks and aggregates /metrics: no backend, no model
    const { isClusterPrimary, runPrimary } = await import('../../serve/cluster-primary.js');
    if (isClusterPrimary(workers)) return runPrimary(workers);

    await startBackend(flags.backend);
    const [{ readFile }, { registrySource, singleModel }, { runServer }] = await Promise.all([
      import('node:fs/promises'),
      import('../../serve/model-source.js'),
      import('../../serve/start.js'),
    ]);
    let tls: { key: Buffer; cert: Buffer } | undefined;
    if (flags.tlsCert && flags.tlsKey) {
      try {
        tls = { cert: await readFile(flags.tlsCert), key: await readFile(flags.tlsKey) };
      } catch (err) {
        throw new ConfigError(`cannot read the TLS files: ${(err as Error).message}`, { hint: 'pass PEM files to --tls-cert and --tls-key' });
      }
    }
    const registry = flags.registry ?? (flags.model ? undefined : registryFromEnv());
    const source = registry ? registrySource(registry) : singleModel(flags.model ?? DEFAULT_PATHS.model);
    await runServer({
      port,
      host: flags.host,
      workers,
      source,
      data,
      future: flags.future ?? null,
      auth,
      authFile,
      audit: flags.audit,
      evaluations: join(flags.results, 'evaluations'),
      auditSync: flags.auditSync,
      maxBatch,
      maxWaitMs,
      bodyLimit,
      requestTimeoutMs,
      pollMs,
      tls,
      logger: { level: flags.logLevel },
    });
  });
}
