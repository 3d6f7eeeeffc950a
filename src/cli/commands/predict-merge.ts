/** `ttm predict merge`: the forecast CSVs of the shards of a `ttm predict --all --shard K/N` run → the unsharded file. */
import type { Command } from 'commander';
import { DataError } from '../../errors.js';

interface MergeFlags {
  out?: string;
}

export function registerMerge(predict: Command): void {
  predict
    .command('merge')
    .description('merge the CSVs of the shards of a --all run into the file the unsharded run writes (byte-identical)')
    .argument('<files...>', 'the shards\' forecast CSVs, in any order')
    .option('--out <file>', 'write the merged CSV here (atomically) instead of stdout')
    .addHelpText('after', `
Examples:
  $ for k in 0 1 2; do ttm predict --all --shard $k/3 --out part-$k.csv; done
  $ ttm predict merge part-*.csv --out forecasts.csv     same bytes as: ttm predict --all --out forecasts.csv`)
    .action(async function (this: Command, files: string[], flags: MergeFlags) {
      // `--out` after the file names is taken by the parent `predict` (commander parses a
      // command's own options across its subcommand's arguments): read it from there too.
      const out = flags.out ?? (this.parent?.opts() as MergeFlags | undefined)?.out;
      const [{ readFile }, { mergeForecastCsv }, output] = await Promise.all([import('node:fs/promises'), import('../../predict/merge-forecasts.js'), import('../output.js')]);
      const parts = await Promise.all(
        files.map(async (name) => {
          try {
            return { name, text: await readFile(name, 'utf8') };
          } catch (cause) {
            throw new DataError(`${name}: cannot read the shard's forecast file`, { cause, hint: 'did that shard finish? re-run it alone: ttm predict --all --shard K/N --out FILE' });
          }
        }),
      );
      const text = mergeForecastCsv(parts);
      const rows = text.split('\n').length - 2;
      if (out) {
        const { writeFileAtomic } = await import('../../io/atomic-write.js');
        await writeFileAtomic(out, text);
        output.status(`merged ${files.length} file(s), ${rows} rows into ${out}`);
      } else process.stdout.write(text);
    });
}
