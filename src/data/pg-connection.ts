/**
 * A connection to a PostgreSQL warehouse: settings from a `postgres://` URL, the PG* variables
 * (libpq's names, read by config/env.ts) and the password file, TLS after libpq's `sslmode`, and
 * connection failures as one-line DatabaseErrors. A password is never part of a message: URLs are
 * shown through `maskUrl`.
 */
import { createReadStream, promises as fs, readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { getPassword } from 'pgpass/lib/helper.js';
import { pgFromEnv, type PgEnv } from '../config/env.js';
import { ConfigError, DatabaseError } from '../errors.js';

/** Where to connect: a `postgres://` (or `postgresql://`) URL; parts it leaves out come from PG*. */
export interface PgConnection {
  url: string;
}

const SCHEME = /^postgres(ql)?:\/\//i;
const SSL_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'] as const;
const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
type SslMode = (typeof SSLMODES)[number];

/** Whether a `--data` / `--to` value is a PostgreSQL URL. */
export function isPgUrl(text: string): boolean {
  return SCHEME.test(text);
}

/** The URL with its password (and any `password=` parameter) replaced by `***`. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return `${url.slice(0, url.indexOf('//') + 2)}…`;
  }
}

/** Settings as pg takes them, plus what the messages show. */
export interface PgSettings {
  config: pg.ClientConfig;
  sslmode: SslMode;
  /** the URL with every part filled in and no password: for messages */
  shown: string;
}

/** Resolves a URL against the PG* environment. Bad settings are ConfigErrors (exit 2). */
export function pgSettings(conn: PgConnection, env: PgEnv = pgFromEnv()): PgSettings {
  let u: URL;
  try {
    u = new URL(conn.url);
  } catch {
    throw new ConfigError(`${maskUrl(conn.url)}: not a valid PostgreSQL URL`, { hint: 'postgres://user:password@host:5432/database (percent-encode special characters in the password)' });
  }
  const ssl: Record<string, string | undefined> = {};
  for (const k of SSL_PARAMS) {
    ssl[k] = u.searchParams.get(k) ?? undefined;
    u.searchParams.delete(k);
  }
  let parsed: ReturnType<typeof parseConnectionString>;
  try {
    parsed = parseConnectionString(u.toString());
  } catch (cause) {
    throw new ConfigError(`${maskUrl(conn.url)}: ${(cause as Error).message}`, { cause });
  }
  const host = parsed.host || env.host || 'localhost';
  const port = Number(parsed.port || env.port || 5432);
  const user = parsed.user || env.user;
  const database = parsed.database || env.database || user;
  const sslmode = (ssl.sslmode ?? env.sslmode ?? 'prefer') as SslMode;
  if (!SSLMODES.includes(sslmode)) throw new ConfigError(`sslmode "${sslmode}": expected one of ${SSLMODES.join(', ')}`);
  const files = { ca: ssl.sslrootcert ?? env.sslrootcert, cert: ssl.sslcert ?? env.sslcert, key: ssl.sslkey ?? env.sslkey };
  const given = parsed.password || env.password;
  const passfile = env.passfile;
  const shownUser = user ? `${encodeURIComponent(user)}@` : '';
  const shownHost = host.startsWith('/') ? `localhost:${port}/${database ?? ''}?host=${host}` : `${host.includes(':') ? `[${host}]` : host}:${port}/${database ?? ''}`;
  const shown = `postgres://${shownUser}${shownHost}`;
  const config: pg.ClientConfig = {
    host,
    port,
    user,
    database,
    ssl: tlsOptions(sslmode, files),
    application_name: 'ttm',
    connectionTimeoutMillis: env.connectTimeout * 1000,
    password: async () => given ?? (await fromPassfile(passfile, { host, port, database, user })) ?? noPassword(shown, passfile),
  };
  return { config, sslmode, shown };
}

/** TLS options of an sslmode, as libpq means them (verify-full checks the certificate and host name). */
function tlsOptions(mode: SslMode, files: { ca?: string; cert?: string; key?: string }): false | ConnectionOptions {
  if (mode === 'disable') return false;
  const read = (what: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (cause) {
      throw new ConfigError(`${what} ${file}: cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause})`, { cause });
    }
  };
  const base: ConnectionOptions = { ca: read('sslrootcert', files.ca), cert: read('sslcert', files.cert), key: read('sslkey', files.key) };
  if (mode === 'verify-full') return { ...base, rejectUnauthorized: true };
  if (mode === 'verify-ca' || (mode === 'require' && base.ca !== undefined)) {
    if (base.ca === undefined) throw new ConfigError('sslmode verify-ca needs sslrootcert (the CA that signed the server certificate)', { hint: 'add sslrootcert=/path/ca.crt to the URL or set PGSSLROOTCERT' });
    return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  }
  return { ...base, rejectUnauthorized: false };
}

/** A password from the password file (libpq's format, mode 0600 or stricter), or undefined. */
async function fromPassfile(file: string, info: { host: string; port: number; database?: string; user?: string }): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return new Promise((resolve) => getPassword({ ...info, host: info.host.startsWith('/') ? 'localhost' : info.host }, createReadStream(file), resolve));
}

function noPassword(shown: string, passfile: string): never {
  throw new DatabaseError(`${shown}: the server asks for a password and none was given`, {
    hint: `put it in the URL, in PGPASSWORD, or in the password file ${passfile} (host:port:database:user:password, mode 0600)`,
  });
}

/** An open connection, session set to ISO dates in UTC; failures are DatabaseErrors naming the server. */
export async function connectPg(conn: PgConnection): Promise<{ client: pg.Client; shown: string }> {
  const s = pgSettings(conn);
  let client = new pg.Client(s.config);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    // libpq's prefer and allow fall back to a plain connection when the server has no TLS.
    if (!/does not support SSL/i.test(String((err as Error).message)) || !['prefer', 'allow'].includes(s.sslmode)) throw connectError(err, s);
    client = new pg.Client({ ...s.config, ssl: false });
    try {
      await client.connect();
    } catch (err2) {
      await client.end().catch(() => undefined);
      throw connectError(err2, s);
    }
  }
  client.on('error', () => undefined);
  await client.query("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'");
  return { client, shown: s.shown };
}

/** Connects once and disconnects: a wrong password or host fails before any work is done. */
export async function checkPg(conn: PgConnection): Promise<string> {
  const { client, shown } = await connectPg(conn);
  await client.end().catch(() => undefined);
  return shown;
}

/** A connection failure as a one-line DatabaseError with a hint. */
function connectError(err: unknown, s: PgSettings): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const e = err as Error & { code?: string };
  const why = e.message.split('\n')[0];
  const user = s.config.user ?? '';
  switch (e.code) {
    case '28P01':
    case '28000':
      return new DatabaseError(`${s.shown}: ${why}`, { hint: `check the password of user "${user}" (URL, PGPASSWORD or the password file)`, cause: err });
    case '3D000':
      return new DatabaseError(`${s.shown}: ${why}`, { hint: 'check the database name at the end of the URL (or PGDATABASE)', cause: err });
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return new DatabaseError(`${s.shown}: cannot connect (${e.code})`, { hint: 'is the server running, and are host and port right?', cause: err });
  }
  if (/does not support SSL/i.test(why)) return new DatabaseError(`${s.shown}: the server does not accept TLS, and sslmode is ${s.sslmode}`, { hint: 'use sslmode=prefer or disable only on a trusted network', cause: err });
  if (/certificate|self.signed|altnames/i.test(why)) return new DatabaseError(`${s.shown}: TLS: ${why} (sslmode ${s.sslmode})`, { hint: 'pass the CA with sslrootcert=… or check the host name', cause: err });
  if (/timeout/i.test(why)) return new DatabaseError(`${s.shown}: cannot connect (timeout)`, { hint: 'is the server reachable? PGCONNECT_TIMEOUT sets the limit', cause: err });
  return new DatabaseError(`${s.shown}: ${why}`, { cause: err });
}

/** Any other server error on an open connection (permission, lock, constraint): one line, no password. */
export function queryError(err: unknown, shown: string, what: string): DatabaseError {
  const e = err as Error & { code?: string };
  return new DatabaseError(`${shown}: ${what}: ${e.message.split('\n')[0]}${e.code ? ` (SQLSTATE ${e.code})` : ''}`, { cause: err });
}
