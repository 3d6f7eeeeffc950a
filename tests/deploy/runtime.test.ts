/**
 * The image's runtime, run here: the runtime stage of the Dockerfile laid out in a temporary /app
 * (its `npm ci --omit=dev`, its COPY lines), `ttm serve` started with the image's ENTRYPOINT and
 * CMD and probed with its HEALTHCHECK command; the weekly CronJob's command writes the evaluation
 * figures, node_exporter (the evaluation exporter's args) serves them, and a real Prometheus
 * scrapes both (ttm with an API key as bearer credential), loads the alert rules and answers
 * queries; the Grafana dashboards are checked against the live /metrics and that Prometheus.
 * Not run here: `npm rebuild @tensorflow/tfjs-node(-gpu)` (it downloads libtensorflow), so the
 * server runs on WASM as it would where that download failed.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';
import { REPO } from '../helpers/run-cli.js';
import { tinyModel } from '../cli/cli-model.js';
import { dockerfileStages, execForm } from './dockerfile.js';
import { jobContainer, mapPaths, runContainer } from './manifest-commands.js';
import { freePort, start, stop, until, type Proc } from './processes.js';

const has = (bin: string) => spawnSync(bin, ['--version']).status === 0;
const ready = existsSync(join(REPO, 'dist/cli/main.js')) && has('prometheus') && has('prometheus-node-exporter');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let root: string;
let app: string;
let data: string;
let server: Proc | undefined;
let exporter: Proc | undefined;
let prometheus: Proc | undefined;
let serverUrl: string;
let promUrl: string;
let healthArgv: string[];
let scrapeKey: string;
let erpKey: string;
let evaluation: { code: number | null; text: string };

/** The Dockerfile's runtime stage, done here: its first `npm ci` (cached per lockfile and worktree) and its COPY lines. */
function layRuntime(): string {
  const stage = dockerfileStages(readFileSync(join(REPO, 'Dockerfile'), 'utf8')).at(-1)!;
  const npmCi = stage.runs.map((r) => /npm ci [^&\\]*/.exec(r)?.[0].trim()).find(Boolean)!;
  expect(npmCi).toMatch(/^npm ci --omit=dev\b/);
  const key = createHash('sha256').update(REPO).update(readFileSync(join(REPO, 'package-lock.json'))).update(npmCi).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `ttm-runtime-${key}`, 'app');
  if (!existsSync(join(dir, 'node_modules/.package-lock.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(REPO, f), join(dir, f));
    const [cmd, ...args] = npmCi.split(/\s+/);
    const r = spawnSync(cmd, [...args, '--prefer-offline'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${npmCi} failed: ${r.stderr.slice(-2000)}`);
  }
  for (const copy of stage.copies) {
    // COPY --from=build /app/dist ./dist takes this repo's built dist/; other sources come from the context.
    const src = copy.from ? join(REPO, copy.src.replace(/^\/app\//, '')) : join(REPO, copy.src);
    if (copy.src.startsWith('package')) continue;
    const dest = join(dir, copy.dest.replace(/^\.\//, ''));
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(src, dest, { recursive: true });
  }
  return dir;
}

async function query(q: string): Promise<Json> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  return res.json();
}
const scalar = async (q: string) => {
  const r = await query(q);
  return r.data?.result?.length ? Number(r.data.result[0].value[1]) : undefined;
};

describe.skipIf(!ready)('the image runtime, Prometheus and Grafana against a running ttm serve', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ttm-runtime-test-'));
    app = layRuntime();
    const t = await tinyModel('ttm-runtime-model-');
    data = join(root, 'data');
    mkdirSync(join(data, 'dados'), { recursive: true });
    cpSync(t.data, join(data, 'dados/db_tratado-w.csv'));
    const reg = spawnSync(process.execPath, [join(app, 'bin/ttm.js'), 'models', 'register', t.model, '--promote', '--registry', join(data, 'registry')], { cwd: app, encoding: 'utf8' });
    expect(reg.status, reg.stderr).toBe(0);
    rmSync(t.dir, { recursive: true, force: true });
    scrapeKey = `ttm_${randomBytes(32).toString('base64url')}`;
    erpKey = `ttm_${randomBytes(32).toString('base64url')}`;
    const sha = (k: string) => createHash('sha256').update(k).digest('hex');
    writeFileSync(join(root, 'auth.json'), JSON.stringify({ api_keys: [{ id: 'prometheus', role: 'data_scientist', sha256: sha(scrapeKey) }, { id: 'erp', role: 'business_user', sha256: sha(erpKey) }] }));
    // The weekly CronJob's container command: ttm evaluate on the registry's active version.
    const ev = await runContainer(jobContainer('cronjob-evaluate.yaml', 'ttm-evaluate'), { app, data });
    const prom = join(data, 'metrics/ttm-evaluation.prom');
    evaluation = { code: ev.code, text: existsSync(prom) ? readFileSync(prom, 'utf8') : `missing; stderr: ${ev.stderr}` };
  }, 600_000);

  afterAll(async () => {
    await stop(prometheus);
    await stop(exporter);
    await stop(server);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the Dockerfiles pass dockerfile-utils\' linter and hold the agreed shape (slim runtime, non-root, port 8000, health check)', async () => {
    const { validate } = await import('dockerfile-utils');
    for (const file of ['Dockerfile', 'Dockerfile.gpu']) {
      const text = readFileSync(join(REPO, file), 'utf8');
      expect(validate(text).map((d) => `${file}:${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
      const runtime = dockerfileStages(text).at(-1)!;
      expect(runtime.user).toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(runtime.expose).toEqual(['8000']);
      expect(runtime.healthcheck?.join(' ')).toMatch(/healthcheck\.mjs http:\/\/127\.0\.0\.1:8000\/health$/);
      expect(runtime.runs.join('\n')).toMatch(/npm ci --omit=dev/);
      const from = file === 'Dockerfile' ? /^node:20-[a-z]*-?slim$/ : /^nvidia\/cuda:[\d.]+-cudnn\d-runtime-/;
      expect(runtime.from).toMatch(from);
      expect(runtime.runs.join('\n')).toContain(file === 'Dockerfile' ? 'npm rebuild @tensorflow/tfjs-node ' : 'npm rebuild @tensorflow/tfjs-node-gpu');
    }
    // .dockerignore lets in exactly what the COPY lines take from the context.
    const allowed = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/\*\*$/, ''));
    for (const file of ['Dockerfile', 'Dockerfile.gpu']) {
      for (const stage of dockerfileStages(readFileSync(join(REPO, file), 'utf8'))) {
        for (const c of stage.copies.filter((x) => !x.from)) {
          expect(allowed.some((a) => c.src === a || c.src.startsWith(`${a}/`)), `${file}: COPY ${c.src} passes .dockerignore`).toBe(true);
          expect(existsSync(join(REPO, c.src)), `${file}: COPY ${c.src} exists`).toBe(true);
        }
      }
    }
  });

  it('starts with the image\'s ENTRYPOINT + CMD; its HEALTHCHECK fails before the model is up and passes after', async () => {
    const text = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
    const runtime = dockerfileStages(text).at(-1)!;
    const port = await freePort();
    const local = (argv: string[]) =>
      argv.map((a) => mapPaths(a, app, data).replace('http://127.0.0.1:8000/', `http://127.0.0.1:${port}/`)).map((a, i, all) => (all[i - 1] === '--port' ? String(port) : all[i - 1] === '--host' ? '127.0.0.1' : a));
    const argv = local([...runtime.entrypoint!, ...runtime.cmd!]);
    healthArgv = local(runtime.healthcheck!);
    expect(argv.slice(0, 3)).toEqual(['node', join(app, 'bin/ttm.js'), 'serve']);
    const probe = () => spawnSync(healthArgv[0], healthArgv.slice(1), { encoding: 'utf8', timeout: 10_000 });
    const before = probe();
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/unhealthy: .*ECONNREFUSED/);

    server = start([process.execPath, ...argv.slice(1)], { cwd: app, env: { NODE_ENV: 'production', TTM_AUTH_FILE: join(root, 'auth.json') } });
    await until('the health check to pass', async () => (probe().status === 0 ? true : server!.child.exitCode !== null ? Promise.reject(new Error(server!.output())) : undefined), 120_000, 500);
    serverUrl = `http://127.0.0.1:${port}`;
    const health = await (await fetch(`${serverUrl}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', model_version: 'v0001' });
    expect(server.output()).toMatch(/"msg":"Server listening at http:\/\/127\.0\.0\.1:\d+"/);
    // the image carries the dashboard's page and its chart library, not only the API
    const page = await fetch(`${serverUrl}/dashboard`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    expect((await fetch(`${serverUrl}/dashboard/vendor/uPlot.iife.min.js`)).status).toBe(200);
  });

  it('a real Prometheus scrapes ttm serve with an API key and the evaluation exporter, loads the alert rules, and answers queries', async () => {
    expect(serverUrl).toBeDefined();
    // Traffic: 3 forecasts and one refused request.
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${serverUrl}/predict`, { method: 'POST', headers: { authorization: `Bearer ${erpKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ produto_id: 1, regiao_id: 2, horizon: 4 }) });
      expect(r.status, await r.text()).toBe(200);
    }
    expect((await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Bearer ${erpKey}` } })).status).toBe(403);

    // The evaluation exporter: node_exporter with the manifest's args, on loopback.
    expect([0, 7], evaluation.text).toContain(evaluation.code);
    const exporterArgs = jobContainerArgs('evaluation-exporter.yaml').map((a) => mapPaths(a, app, data));
    const nePort = await freePort();
    exporter = start(['prometheus-node-exporter', ...exporterArgs.map((a) => (a.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${nePort}` : a))]);

    // Prometheus: the shipped configuration with static loopback targets for its jobs.
    const shipped = parse(readFileSync(join(REPO, 'deploy/prometheus/prometheus.yml'), 'utf8'));
    const dir = join(root, 'prometheus');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'key'), scrapeKey);
    const targets: Record<string, string> = { ttm: serverUrl.replace('http://', ''), 'ttm-evaluation': `127.0.0.1:${nePort}` };
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: shipped.rule_files.map((f: string) => join(REPO, 'deploy/prometheus', f)),
      scrape_configs: shipped.scrape_configs.map((job: Json) => {
        const { kubernetes_sd_configs: _sd, relabel_configs: _relabel, ...rest } = job;
        const local = { ...rest, static_configs: [{ targets: [targets[job.job_name]] }] };
        if (rest.authorization) local.authorization = { ...rest.authorization, credentials_file: join(dir, 'key') };
        return local;
      }),
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const check = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = start(['prometheus', `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
    await until('Prometheus to be ready', async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), 60_000);

    // Metrics queried back through Prometheus' HTTP API.
    await until('ttm to be scraped', async () => ((await scalar('up{job="ttm"}')) === 1 ? true : undefined), 30_000);
    expect(await until('the 3 forecasts', async () => scalar('sum(ttm_predictions_total)'), 30_000)).toBe(3);
    expect(await scalar('sum(ttm_http_requests_total{route="/predict",status="200"})')).toBe(3);
    expect(await scalar('sum(ttm_http_requests_total{route="/metrics",status="403"})')).toBe(1);
    expect(await scalar('ttm_model_info{version="v0001"}')).toBe(1);
    const wape = Number(/^ttm_evaluation_wape\{channel="vendas"\} (\S+)$/m.exec(evaluation.text)![1]);
    expect(await until('the evaluation figures', async () => scalar('ttm_evaluation_wape{channel="vendas",job="ttm-evaluation"}'), 30_000)).toBeCloseTo(wape, 12);

    // The alert rules are loaded and evaluate: the model alerts fire exactly for the channels the evaluation put over the line.
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()).data.groups.flatMap((g: Json) => g.rules);
    expect(rules.map((r: Json) => `${r.name}: ${r.health}`).sort()).toEqual(['TtmDataDrift', 'TtmErrorRateHigh', 'TtmEvaluationStale', 'TtmModelMapeHigh', 'TtmPredictionLatencyHigh'].map((n) => `${n}: ok`));
    const over = (metric: string, limit: number) =>
      [...evaluation.text.matchAll(new RegExp(`^${metric}\\{channel="(\\w+)"\\} (\\S+)$`, 'gm'))].filter((m) => Number(m[2]) > limit).map((m) => m[1]).sort();
    const firing = async (name: string) =>
      ((await (await fetch(`${promUrl}/api/v1/alerts`)).json()).data.alerts as Json[]).filter((a) => a.labels.alertname === name && a.state === 'firing').map((a) => a.labels.channel).sort();
    const wantMape = over('ttm_evaluation_mape', 0.2);
    const wantDrift = over('ttm_evaluation_drift_psi', 0.15);
    await until('the model alerts to settle', async () => (JSON.stringify([await firing('TtmModelMapeHigh'), await firing('TtmDataDrift')]) === JSON.stringify([wantMape, wantDrift]) ? true : undefined), 20_000);
    // ttm evaluate's exit code agrees: 7 when one of its alerts fired.
    if (wantMape.length || wantDrift.length) expect(evaluation.code).toBe(7);
  });

  it('every Grafana panel queries metrics that ttm serve or the evaluation really exports, in PromQL that Prometheus accepts', async () => {
    expect(promUrl).toBeDefined();
    const live = await (await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Bearer ${scrapeKey}` } })).text();
    const exported = new Set([...exportedNames(live), ...exportedNames(evaluation.text)]);
    expect(exported.has('ttm_prediction_latency_seconds_bucket')).toBe(true);
    const dir = join(REPO, 'deploy/grafana/dashboards');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['ttm-business-kpis.json', 'ttm-infrastructure.json', 'ttm-model-performance.json', 'ttm-operational.json']);
    let queries = 0;
    for (const f of files) {
      const d = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(d.uid, f).toBe(f.replace('.json', ''));
      expect(new Set(d.panels.map((p: Json) => p.id)).size, `${f}: unique panel ids`).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.targets?.length, `${f}: "${p.title}" has a query`).toBeGreaterThan(0);
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        for (const t of p.targets) {
          const names = metricNames(t.expr);
          expect(names.length, `${f}: "${p.title}": ${t.expr} names a metric`).toBeGreaterThan(0);
          for (const n of names) expect(exported.has(n), `${f}: "${p.title}" queries ${n}, which nothing exports`).toBe(true);
          const r = await query(t.expr.replaceAll('$__rate_interval', '1m'));
          expect(r.status, `${f}: "${p.title}": ${t.expr}: ${r.error}`).toBe('success');
          queries++;
        }
      }
    }
    expect(queries).toBeGreaterThan(30);
  });

  it('SIGTERM drains the server and it exits 0, as the pod\'s termination does', async () => {
    expect(server).toBeDefined();
    expect(await stop(server)).toBe(0);
    const after = spawnSync(healthArgv[0], healthArgv.slice(1), { encoding: 'utf8', timeout: 10_000 });
    expect(after.status).toBe(1);
  });
});

function jobContainerArgs(file: string): string[] {
  const docs = readFileSync(join(REPO, 'deploy/k8s', file), 'utf8').split(/^---$/m).map((d) => parse(d));
  return docs.find((d: Json) => d.kind === 'Deployment').spec.template.spec.containers[0].args;
}

/** Names a Prometheus exposition declares (TYPE lines; histograms and summaries with their series' suffixes) or has samples of. */
function exportedNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\w+)/.exec(line);
    if (type) {
      names.push(type[1]);
      if (type[2] === 'histogram') names.push(`${type[1]}_bucket`, `${type[1]}_sum`, `${type[1]}_count`);
      if (type[2] === 'summary') names.push(`${type[1]}_sum`, `${type[1]}_count`);
    } else if (line && !line.startsWith('#')) names.push(/^[a-zA-Z_:][\w:]*/.exec(line)![0]);
  }
  return names;
}

/** Metric names of every vector selector in a PromQL expression (Prometheus' own lezer grammar). */
function metricNames(expr: string): string[] {
  const tree = parser.parse(expr.replaceAll('$__rate_interval', '1m'));
  const names: string[] = [];
  let error = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) error = true;
      if (n.name === 'VectorSelector') {
        const id = n.node.getChild('Identifier');
        names.push(id ? expr.replaceAll('$__rate_interval', '1m').slice(id.from, id.to) : '(unnamed selector)');
      }
    },
  });
  if (error) throw new Error(`PromQL does not parse: ${expr}`);
  return names;
}
