/** `ttm validate`: the design's data-quality rules on a sales CSV; exit 6 when one fails. */
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { addSourceOptions, DATA_HELP, sourceFromFlags } from '../warehouse-options.js';

interface ValidateFlags {
  data: string;
  table?: string;
  query?: string;
  asOf?: string;
  context?: string;
  horizon?: string;
  missing?: string;
  weekStart?: string;
  show?: string;
  json?: boolean;
}

export function register(program: Command): void {
  addSourceOptions(program
    .command('validate')
    .description('check a sales CSV or warehouse table against the quality rules (exit 0 = pass, 6 = a rule failed)')
    .option('--data <file|url>', DATA_HELP, DEFAULT_PATHS.data))
    .option('--as-of <date>', 'date the data should be current at, YYYY-MM-DD (default today)')
    .option('--context <n>', 'weeks of context, for the length rule', '104')
    .option('--horizon <n>', 'weeks of horizon, for the length rule', '26')
    .option('--missing <policy>', 'a week without rows: zero (no sales) or gap (unobserved)', 'zero')
    .option('--week-start <day>', 'auto (weekday of the first date) or monday … sunday', 'auto')
    .option('--show <n>', 'series listed per failing rule in the table', '10')
    .option('--json', 'print the full report as one JSON document')
    .addHelpText('after', `
Examples:
  $ ttm validate --data dados/db_tratado-w.csv --as-of 2025-12-22
  $ ttm validate --data postgres://ttm@db.example/erp --table vendas_semanais --json
  $ PGHOST=db.example PGUSER=ttm ttm validate --query "SELECT dia AS date, produto_cat, uf_cat, vendas, faturamento FROM vendas"`)
    .action(async (flags: ValidateFlags, cmd: Command) => {
      const [data, out, { EXIT }] = await Promise.all([import('../../data/index.js'), import('../output.js'), import('../../errors.js')]);
      const f = flags as unknown as Record<string, unknown>;
      const context = data.intFlag(f, 'context', 104);
      const horizon = data.intFlag(f, 'horizon', 26);
      const show = data.intFlag(f, 'show', 10, 0);
      const asOf = data.dayFlag(f, 'asOf');
      const ds = await data.readObservations(await sourceFromFlags(flags, cmd), data.loadOptions(f));
      const report = data.validate(ds, { asOf, context, horizon });
      if (flags.json) out.printJson(report);
      else out.printLine(renderReport(report, show, out.formatTable));
      if (!report.passed) process.exitCode = EXIT.validationFailed;
    });
}

type Report = ReturnType<typeof import('../../data/index.js').validate>;

function renderReport(r: Report, show: number, formatTable: (h: string[], rows: (string | number)[][]) => string): string {
  const lines = [
    `${r.file}: ${r.rows} rows, ${r.series} series, ${r.weeks} weeks (${r.firstWeek} … ${r.lastWeek}, weeks start ${r.weekStart}), as of ${r.asOf}`,
    '',
    formatTable(
      ['rule', 'result', 'threshold', 'finding'],
      r.rules.map((x) => [x.rule, x.passed ? 'pass' : 'FAIL', x.threshold, x.summary]),
    ),
  ];
  for (const rule of r.rules) {
    if (rule.series.length === 0 || show === 0) continue;
    const rows = rule.series.slice(0, show).map((s) => [s.produto, s.regiao, s.detail]);
    const more = rule.series.length > show ? `\n… and ${rule.series.length - show} more (--json lists all)` : '';
    lines.push('', `${rule.rule}: ${rule.series.length} series`, formatTable(['produto', 'regiao', 'detail'], rows) + more);
  }
  lines.push('', r.passed ? 'all rules pass' : `failed: ${r.rules.filter((x) => !x.passed).map((x) => x.rule).join(', ')}`);
  return lines.join('\n');
}
