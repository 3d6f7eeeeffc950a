/** Who is calling: an API key's id or a token's subject, with the roles that credential carries. */
import type { Role } from './permissions.js';

export interface Principal {
  /** "key:<id>" or "sub:<subject>" — what the audit log records; never the secret */
  who: string;
  kind: 'api_key' | 'jwt';
  roles: Role[];
}
