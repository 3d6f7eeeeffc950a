export interface TestPostgres {
  port: number;
  user: string;
  password: string;
  database: string;
  /** the CA file clients verify the server with (the self-signed certificate) */
  caFile: string;
  /** postgres://user:password@127.0.0.1:port/database[?sslmode=…] */
  url(options?: { password?: string; sslmode?: string; database?: string }): string;
  stop(): void;
}
export function postgresBin(): string | undefined;
export function startPostgres(options?: { ssl?: boolean }): Promise<TestPostgres>;
