/** The parts of pgpass (node-postgres' password-file reader) that ttm uses. */
declare module 'pgpass/lib/helper.js' {
  interface ConnInfo {
    host?: string;
    port?: string | number;
    database?: string;
    user?: string;
  }
  export function getPassword(connInfo: ConnInfo, stream: NodeJS.ReadableStream, cb: (password: string | undefined) => void): void;
}
