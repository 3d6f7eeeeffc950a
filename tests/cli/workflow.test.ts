/**
 * The analyst's workflow end to end on the built CLI: a pt-BR export through validate, train and
 * predict; the quality gate before training; --holdout and the evaluation kind; the model card;
 * one JSON style.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../src/data/index.js';
import { EvaluationReportSchema, TrainResultSchema, ValidationReportSchema } from '../../src/config/output-schemas.js';
import { runCliAsync as runCli } from '../helpers/run-cli.js';
import { camelKeys } from '../helpers/json-keys.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ttm-cli-workflow-'));
const plain = join(dir, 'plain.csv');
const ptbr = join(dir, 'vendas-ptbr.csv');
const flawed = join(dir, 'flawed.csv');
const csv = synthesize({ products: 3, regions: 2, weeks: 70, seed: 9 }).csv;
writeFileSync(plain, csv);
// What Excel in pt-BR writes: ;, decimal commas (with thousands dots), DD/MM/YYYY, its own column names.
writeFileSync(
  ptbr,
  ['data;produto;uf;qtd;receita', ...csv.trim().split('\n').slice(1).map((line) => {
    const [d, p, u, v, f] = line.split(',');
    const [y, m, dd] = d.split('-');
    return [`${dd}/${m}/${y}`, p, u, Number(v).toLocaleString('pt-BR'), Number(f).toLocaleString('pt-BR', { minimumFractionDigits: 2 })].join(';');
  })].join('\n') + '\n',
);
writeFileSync(flawed, synthesize({ products: 3, regions: 2, weeks: 70, seed: 9, flaws: true }).csv);
const COLUMNS = 'date=data,produto_cat=produto,uf_cat=uf,vendas=qtd,faturamento=receita';
const tiny = ['--context', '24', '--horizon', '6', '--epochs', '1', '--stride', '4', '--backend', 'wasm'];
const train = (data: string, out: string, ...more: string[]) => runCli(['train', '--data', data, '--output', join(dir, out), '--results', join(dir, `${out}-results`), ...tiny, ...more]);

describe.skipIf(!built)('the analyst workflow (built CLI)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a pt-BR CSV with a column map goes through validate, train and predict with the same forecasts as the plain CSV', async () => {
    expect(readFileSync(ptbr, 'utf8')).toMatch(/^data;produto;uf;qtd;receita\n\d\d\/\d\d\/\d{4};0;0;\d+;[\d.]+,\d\d\n/);
    const va = await runCli(['validate', '--data', plain, '--as-of', '2024-05-01', '--json']);
    const vb = await runCli(['validate', '--data', ptbr, '--columns', COLUMNS, '--as-of', '2024-05-01', '--json']);
    expect(vb.code).toBe(va.code);
    const [ja, jb] = [JSON.parse(va.stdout), JSON.parse(vb.stdout)];
    expect(ValidationReportSchema.parse(jb).schema_version).toBe(2);
    expect(camelKeys(jb)).toEqual([]);
    expect({ ...jb, file: '' }).toEqual({ ...ja, file: '' });

    const ta = await train(plain, 'plain-model', '--json');
    expect(ta.code, ta.stderr).toBe(0);
    const tb = await train(ptbr, 'ptbr-model', '--columns', COLUMNS);
    expect(tb.code, tb.stderr).toBe(0);
    expect(readFileSync(join(dir, 'ptbr-model', 'model.safetensors')).equals(readFileSync(join(dir, 'plain-model', 'model.safetensors')))).toBe(true);
    const pa = await runCli(['predict', '--all', '--model', join(dir, 'plain-model'), '--data', plain, '--backend', 'wasm']);
    const pb = await runCli(['predict', '--all', '--model', join(dir, 'ptbr-model'), '--data', ptbr, '--columns', COLUMNS, '--backend', 'wasm']);
    expect(pa.code).toBe(0);
    expect(pb.stdout).toBe(pa.stdout);
    expect(pa.stdout.split('\n')).toHaveLength(1 + 6 * 6 + 1);

    // the train JSON Lines: every key snake_case, the last line the versioned result
    const events = ta.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(camelKeys(events)).toEqual([]);
    expect(events.some((e) => e.type === 'epoch' && 'val_loss' in e)).toBe(true);
    expect(TrainResultSchema.parse(events[events.length - 1]).schema_version).toBe(2);
    for (const f of ['metrics.json', 'training_args.json', 'forecaster.json', 'preprocessor.json']) {
      expect(camelKeys(JSON.parse(readFileSync(join(dir, 'plain-model', f), 'utf8'))), f).toEqual([]);
    }
  }, 180_000);

  it('train runs the quality rules first: exit 6 naming them, or trains with --allow-quality-issues and says what it did', async () => {
    const r = await train(flawed, 'flawed-model');
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/quality rule duplicates fails: \d+ repeated rows? in \d+ series\n {2}if trained: repeated \(produto_cat, uf_cat, date\) rows are summed into their week/);
    expect(r.stderr).toMatch(/error: .*flawed\.csv: \d data-quality rule\(s\) fail \(.*duplicates.*\); not training/);
    expect(r.stderr).toMatch(/hint: .*--allow-quality-issues/);
    expect(existsSync(join(dir, 'flawed-model'))).toBe(false);
    const ok = await train(flawed, 'flawed-model', '--allow-quality-issues');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/training anyway: repeated \(produto_cat, uf_cat, date\) rows are summed into their week/);
  }, 120_000);

  it('--holdout keeps weeks out of training; evaluate says whether it scored held-out or in-sample weeks', async () => {
    const t = await train(plain, 'held', '--holdout', '6');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/the last 6 week\(s\) held out of training/);
    const model = join(dir, 'held');
    // 70 weeks from 2023-01-02 end with 2024-04-29; six held out: trained through 2024-03-18.
    expect(JSON.parse(readFileSync(join(model, 'forecaster.json'), 'utf8')).trained_through).toBe('2024-03-18');
    const ev = (...a: string[]) => runCli(['evaluate', '--model', model, '--data', plain, '--no-save', '--backend', 'wasm', ...a]);
    const honest = await ev('--origins', '1', '--json');
    const doc = JSON.parse(honest.stdout);
    expect(EvaluationReportSchema.parse(doc).kind).toBe('held_out');
    expect(doc.held_out_share).toBe(1);
    expect(camelKeys(doc)).toEqual([]);
    expect(doc.thresholds).toMatchObject({ mape: 0.2, error_rate: 0.05, latency_seconds: 2 });
    expect(doc.backtest.methods.ttm.vendas.mape).toBeLessThan(5); // a fraction, not percent
    const mixed = await ev('--origins', '3');
    expect(mixed.stdout).toMatch(/^partly in-sample evaluation/);
    expect(mixed.stderr).toMatch(/of the scored weeks are not after the model's training data/);
    const many = await ev('--origins', '100', '--json');
    // an origin needs 52 weeks before it and 6 after: origins 52 … 64, 13 of them
    expect(many.stderr).toMatch(/warning: --origins 100: only 13 origin\(s\) have a series with a season \(52 weeks\) of history before them and 6 weeks after; running 13/);
    expect(JSON.parse(many.stdout).backtest.origins).toHaveLength(13);
  }, 120_000);

  it('training writes a Hugging Face model card that info shows', async () => {
    const card = readFileSync(join(dir, 'held', 'README.md'), 'utf8');
    expect(card).toMatch(/^---\nlibrary_name: ttm\npipeline_tag: time-series-forecasting\n/);
    expect(card).toMatch(/training_span: \{ first_week: "2023-01-02", last_week: "2024-03-18", series: 6, held_out_weeks: 6 \}/);
    expect(card).toMatch(/validation_wape: \{ vendas: [\d.]+, faturamento: [\d.]+ \}/);
    expect(card).toMatch(/blend: \{ window: 13, model_weight: \{ vendas: [\d.]+, faturamento: [\d.]+ \} \}/);
    expect(card).toMatch(/interval: \{ level: 0.9, method: "split-conformal[^"]*", coverage: \{ vendas: [\d.]+/);
    const info = await runCli(['info', '--model', join(dir, 'held'), '--backend', 'wasm']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/# TinyTimeMixer for weekly sales \(24 weeks in, 6 out\)/);
    expect(info.stdout).toMatch(/\| vendas \| \d\.\d{4} \| \d\.\d{4} \| [\d.]+ \|/);
    const json = JSON.parse((await runCli(['info', '--model', join(dir, 'held'), '--json', '--backend', 'wasm'])).stdout);
    expect(json.model_card.metadata).toMatch(/^library_name: ttm/);
    expect(camelKeys(json)).toEqual([]);
  });

  it('a missing model directory is exit 4 in every command, as the README says', async () => {
    const none = join(dir, 'no-such-model');
    for (const args of [['info', '--model', none], ['predict', '--all', '--model', none, '--data', plain], ['evaluate', '--model', none, '--data', plain], ['forward', '--model', none, '--inputs', plain, '--out', join(dir, 'o')]]) {
      const r = await runCli([...args, '--backend', 'wasm']);
      expect(r.code, args[0]).toBe(4);
      expect(r.stderr).toMatch(/no-such-model\/\w+\.json: cannot read \(ENOENT\)/);
    }
  });
});
