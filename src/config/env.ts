/** The only reader of environment variables (STYLE.md 2.7). */
export function backendFromEnv(): string | undefined {
  return process.env.TTM_BACKEND || undefined;
}

export interface HubEnv {
  endpoint: string;
  home: string;
  /** Hub cache folder (models--org--name/...): HF_HUB_CACHE, else HF_HOME/hub. */
  cache: string;
  token?: string;
  offline: boolean;
}

/** Hugging Face Hub settings, as huggingface_hub reads them. */
export function hubFromEnv(): HubEnv {
  const home =
    process.env.HF_HOME ||
    (process.env.XDG_CACHE_HOME ? `${process.env.XDG_CACHE_HOME}/huggingface` : `${process.env.HOME ?? '.'}/.cache/huggingface`);
  const offline = ['1', 'true', 'yes', 'on'].includes((process.env.HF_HUB_OFFLINE ?? '').toLowerCase());
  return {
    endpoint: (process.env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, ''),
    home,
    cache: process.env.HF_HUB_CACHE || process.env.HUGGINGFACE_HUB_CACHE || `${home}/hub`,
    token: process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || undefined,
    offline,
  };
}

/** libpq's PG* variables that ttm honours when a PostgreSQL URL leaves a part out (or there is none). */
export interface PgEnv {
  host?: string;
  port?: string;
  user?: string;
  database?: string;
  password?: string;
  sslmode?: string;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** PGPASSFILE, else ~/.pgpass (read only when no password is given otherwise) */
  passfile: string;
  /** seconds, PGCONNECT_TIMEOUT (default 10) */
  connectTimeout: number;
}

/** PostgreSQL settings from the environment, as libpq reads them. */
export function pgFromEnv(): PgEnv {
  const e = process.env;
  const timeout = Number(e.PGCONNECT_TIMEOUT);
  return {
    host: e.PGHOST || undefined,
    port: e.PGPORT || undefined,
    user: e.PGUSER || e.USER || undefined,
    database: e.PGDATABASE || undefined,
    password: e.PGPASSWORD || undefined,
    sslmode: e.PGSSLMODE || undefined,
    sslrootcert: e.PGSSLROOTCERT || undefined,
    sslcert: e.PGSSLCERT || undefined,
    sslkey: e.PGSSLKEY || undefined,
    passfile: e.PGPASSFILE || `${e.HOME ?? '.'}/.pgpass`,
    connectTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout : 10,
  };
}

/** Default auth file of `ttm serve` and `ttm keys` (TTM_AUTH_FILE). */
export function authFileFromEnv(): string | undefined {
  return process.env.TTM_AUTH_FILE || undefined;
}

/** Default model registry directory of `ttm models`, `ttm train --register` and `ttm serve` (TTM_REGISTRY). */
export function registryFromEnv(): string | undefined {
  return process.env.TTM_REGISTRY || undefined;
}

/**
 * Sharding of `ttm predict --all` and `ttm evaluate`: the shard index Kubernetes gives each pod
 * of an Indexed Job (JOB_COMPLETION_INDEX, 0 … N-1) and the shard count (TTM_SHARDS), as raw
 * strings; the CLI validates them.
 */
export function shardFromEnv(): { index?: string; count?: string } {
  return { index: process.env.JOB_COMPLETION_INDEX || undefined, count: process.env.TTM_SHARDS || undefined };
}
