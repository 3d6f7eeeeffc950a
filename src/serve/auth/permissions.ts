/** The design's roles and what each may do; every route names the permission it needs. */
import { ROLES, type Role } from '../../config/auth-file.js';
export const PERMISSIONS = ['read_models', 'train_models', 'read_predictions', 'view_dashboards', 'manage_models'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export { ROLES, type Role } from '../../config/auth-file.js';

/** admin has all, including manage_models (promote, rollback). */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  data_scientist: ['read_models', 'train_models'],
  business_user: ['read_predictions', 'view_dashboards'],
  admin: PERMISSIONS,
  readonly: ['view_dashboards'],
};

/** What a route requires: nothing ('open'), any valid credential ('authenticated'), or a permission. */
export type Access = 'open' | 'authenticated' | Permission;

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}
