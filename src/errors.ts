/**
 * Typed errors. Each carries the exit code the CLI maps it to (STYLE.md 2.6) and an optional
 * hint saying what to do next. Only cli/main.ts turns them into exit codes.
 */
export interface TtmErrorOptions {
  hint?: string;
  cause?: unknown;
  /**
   * The input the error is about, in domain words ('produto', 'regiao', 'horizon', 'model',
   * 'data'). Hints stay front-end neutral; each front end names its own flag or field for the
   * param (the CLI in cli/error-hints.ts, the server in its error handler).
   */
  param?: ErrorParam;
}

/** Inputs a library error can point at. */
export type ErrorParam =
  | 'produto'
  | 'regiao'
  | 'horizon'
  | 'context'
  | 'model'
  | 'data'
  | 'levels'
  | 'version'
  | 'registry'
  | 'thresholds'
  | 'revision'
  | 'cache'
  | 'scaling'
  | 'lr'
  | 'threads'
  | 'resume';

export class TtmError extends Error {
  readonly exitCode: number = 1;
  readonly hint?: string;
  readonly param?: ErrorParam;
  constructor(message: string, options: TtmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.param = options.param;
  }
}

/** A bug: stack under --verbose, ask for a report. */
export class InternalError extends TtmError {
  override readonly exitCode = 1;
}
/** Unknown flag, bad flag value. */
export class UsageError extends TtmError {
  override readonly exitCode = 2;
}
/** Invalid config file or config value. */
export class ConfigError extends TtmError {
  override readonly exitCode = 2;
}
/** Bad data: missing column, non-numeric value, series too short. */
export class DataError extends TtmError {
  override readonly exitCode = 3;
}
/** Missing/unexpected weight key, corrupt checkpoint file. */
export class CheckpointError extends TtmError {
  override readonly exitCode = 4;
}
/** A tensor of the wrong shape crossing a module boundary. */
export class ShapeError extends TtmError {
  override readonly exitCode = 4;
}
/** NaN loss, no finite validation loss. */
export class TrainingError extends TtmError {
  override readonly exitCode = 5;
}
/** Network or hub failure while pulling a checkpoint. */
export class HubError extends TtmError {
  override readonly exitCode = 8;
}

/** PostgreSQL warehouse: cannot connect, authentication refused, a write failed (rolled back). */
export class DatabaseError extends TtmError {
  override readonly exitCode = 9;
}

/** Exit codes that are outcomes, not errors. */
export const EXIT = {
  ok: 0,
  validationFailed: 6,
  alertFired: 7,
  interrupted: 130,
} as const;
