/** `ttm keys create | list | revoke`: API keys of `ttm serve`, stored hashed in the auth file. */
import type { Command } from 'commander';
import { ROLES } from '../../config/auth-file.js';
import { UsageError } from '../../errors.js';
import { choiceOption } from '../parse-flags.js';

interface KeyFlags {
  auth?: string;
  json?: boolean;
  id?: string;
  role?: string;
}

/** --auth, else TTM_AUTH_FILE; ttm serve reads the same. */
async function authFile(flag: string | undefined): Promise<string> {
  const { authFileFromEnv } = await import('../../config/env.js');
  const file = flag ?? authFileFromEnv();
  if (!file) throw new UsageError('pass --auth FILE (or set TTM_AUTH_FILE): the auth file ttm serve --auth reads');
  return file;
}

const examples = (cmd: Command, ...lines: string[]) => cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);

const common = (cmd: Command) => cmd.option('--auth <file>', 'auth file (env TTM_AUTH_FILE); created when missing').option('--json', 'one JSON document on stdout');

export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('API keys for ttm serve: create (the secret is shown once), list, revoke')
    .addHelpText('after', `
The auth file keeps each key's id, role and SHA-256, never the key itself. Roles:
${ROLES.join(', ')}. Send a key as "Authorization: Bearer ttm_..." or "X-API-Key: ttm_...".

Examples:
  $ ttm keys create --id erp --role business_user --auth auth.json
  $ ttm keys list --auth auth.json
  $ ttm keys revoke --id erp --auth auth.json`);

  common(examples(keys.command('create').description('create a key and print it once'), 'ttm keys create --id erp --role business_user --auth auth.json', 'TTM_AUTH_FILE=auth.json ttm keys create --id ci --role admin --json'))
    .requiredOption('--id <name>', 'who holds the key (shown in the audit log)')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .action(async (flags: KeyFlags) => {
      const role = choiceOption('--role', flags.role!, ROLES);
      const file = await authFile(flags.auth);
      const [{ createApiKey }, out] = await Promise.all([import('../../io/auth-file-store.js'), import('../output.js')]);
      const { entry, key } = await createApiKey(file, flags.id!, role);
      if (flags.json) return out.printJson({ id: entry.id, role: entry.role, key });
      out.status(`created key "${entry.id}" (${entry.role}) in ${file}; it is shown once, only its SHA-256 is kept:`);
      out.printLine(key);
    });

  common(examples(keys.command('list').description('ids and roles of the keys (no secrets)'), 'ttm keys list --auth auth.json')).action(async (flags: KeyFlags) => {
    const file = await authFile(flags.auth);
    const [{ readAuthFile }, out] = await Promise.all([import('../../config/auth-file.js'), import('../output.js')]);
    const auth = await readAuthFile(file);
    const rows = auth.api_keys.map((k) => ({ id: k.id, role: k.role, created_at: k.created_at ?? null, sha256_prefix: k.sha256.slice(0, 12) }));
    if (flags.json) return out.printJson({ auth: file, api_keys: rows, oidc: auth.oidc ?? null });
    if (rows.length === 0) return out.status(`${file}: no keys (ttm keys create --id NAME --role ROLE)`);
    out.printLine(out.formatTable(['id', 'role', 'created (UTC)', 'sha256'], rows.map((r) => [r.id, r.role, r.created_at?.slice(0, 19).replace('T', ' ') ?? '', `${r.sha256_prefix}…`])));
  });

  common(examples(keys.command('revoke').description('remove a key (a running ttm serve notices the changed file and stops accepting it)'), 'ttm keys revoke --id erp --auth auth.json'))
    .requiredOption('--id <name>', 'the key to remove')
    .action(async (flags: KeyFlags) => {
      const file = await authFile(flags.auth);
      const [{ revokeApiKey }, out] = await Promise.all([import('../../io/auth-file-store.js'), import('../output.js')]);
      const entry = await revokeApiKey(file, flags.id!);
      if (flags.json) return out.printJson({ revoked: { id: entry.id, role: entry.role } });
      out.printLine(`revoked "${entry.id}" (${entry.role})`);
    });
}
