/**
 * The auth file the server reads (`--auth FILE`): API keys by hash and the optional OIDC
 * provider. TODO(11a): replace with the library's schema in src/config/auth-file.ts.
 */
import { z } from 'zod';

export const AuthSettingsSchema = z.object({
  api_keys: z
    .array(
      z.object({
        id: z.string().min(1),
        role: z.enum(['data_scientist', 'business_user', 'admin', 'readonly']),
        sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'hex SHA-256 of the key'),
      }),
    )
    .default([]),
  oidc: z
    .object({
      issuer: z.string().min(1),
      audience: z.string().min(1),
      jwks_uri: z.url(),
      roles_claim: z.string().min(1).default('roles'),
    })
    .optional(),
});
export type AuthSettings = z.infer<typeof AuthSettingsSchema>;
