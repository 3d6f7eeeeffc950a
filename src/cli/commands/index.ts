/** Every subcommand, in the order `ttm --help` lists them. Each module only declares flags. */
import type { Command } from 'commander';

export const COMMANDS: ((program: Command) => void)[] = [];
