/** `ttm synth`: write realistic synthetic weekly sales in the design's CSV schema. */
import { SCHEMA_VERSION } from '../../config/schema-version.js';
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';

interface SynthFlags {
  out: string;
  products?: string;
  regions?: string;
  weeks?: string;
  start?: string;
  seed?: string;
  flaws?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('write synthetic weekly sales per produto x UF (deterministic for a seed)')
    .option('--out <file>', 'CSV to write (atomically)', DEFAULT_PATHS.data)
    .option('--products <n>', 'number of products', '150')
    .option('--regions <n>', 'number of UFs (SP, GO, MG, EX, RS, PR, then repeats smaller)', '6')
    .option('--weeks <n>', 'weeks of history', '156')
    .option('--start <date>', 'first week, YYYY-MM-DD', '2023-01-02')
    .option('--seed <n>', 'random seed', '42')
    .option('--flaws', 'inject gaps, negatives, duplicates, outliers and stale tails (for validate demos)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (flags: SynthFlags) => {
      const [{ synthOptions, writeSynth }, out] = await Promise.all([import('../../data/index.js'), import('../output.js')]);
      const options = synthOptions(flags as unknown as Record<string, unknown>);
      const t0 = performance.now();
      const r = await writeSynth(flags.out, options);
      const seconds = (performance.now() - t0) / 1000;
      const result = { out: flags.out, rows: r.rows, series: r.series, weeks: options.weeks, start: options.start, seed: options.seed, flaws: r.flaws ?? null, seconds };
      if (flags.json) return out.printJson({ schema_version: SCHEMA_VERSION, ...result });
      out.status(`wrote ${flags.out}: ${r.rows} rows, ${r.series} series x ${options.weeks} weeks from ${options.start} (seed ${options.seed}) in ${seconds.toFixed(2)} s`);
      if (r.flaws) {
        const f = r.flaws;
        out.status(`flaws: ${f.gapSeries} series with gaps, ${f.staleSeries} stale series, ${f.negativeRows} negative, ${f.duplicateRows} duplicated, ${f.outlierRows} outlier rows`);
      }
    });
}
