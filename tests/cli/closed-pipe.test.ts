/** `ttm … | head`: when the reader of stdout goes away, the CLI stops quietly (no EPIPE crash). */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, REPO } from '../helpers/run-cli.js';

describe('a closed stdout pipe', () => {
  it('ends the command with its exit code and no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first write
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
