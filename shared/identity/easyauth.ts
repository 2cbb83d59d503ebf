import { z } from 'zod';
import { unauthenticated } from '../errors.js';
import { callerFrom, type Caller } from './caller.js';

const principalSchema = z.object({
  // App Service's spelling is `auth_typ`; Static Web Apps' is `identityProvider`.
  auth_typ: z.string().optional(),
  identityProvider: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(500),
});

const TENANT = ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'];
const OBJECT_ID = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
// Built-in providers (aad, google, github…) and custom OpenID Connect provider names.
const PROVIDER = /^[A-Za-z0-9._-]{1,64}$/;
const SUBJECT = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', 'sub'];

/**
 * App Service Authentication (Easy Auth) puts the validated principal in `x-ms-client-principal`.
 * Trusting it is only safe where the platform strips that header from inbound traffic (README):
 * shared/config.ts refuses AUTH_MODE=easyauth unless the platform reports authentication on.
 */
export function callerFromClientPrincipal(header: string | null): Caller {
  if (!header || header.length > 16_384) throw unauthenticated();
  let parsed: z.infer<typeof principalSchema>;
  try {
    parsed = principalSchema.parse(JSON.parse(Buffer.from(header, 'base64').toString('utf8')));
  } catch {
    throw unauthenticated();
  }
  const claim = (types: string[]): string | undefined =>
    parsed.claims.find((c) => types.includes(c.typ) && c.val.length > 0 && c.val.length <= 256)?.val;
  const provider = parsed.auth_typ ?? parsed.identityProvider;
  if (!provider || !PROVIDER.test(provider)) throw unauthenticated();
  const caller = callerFrom(claim(TENANT), claim(OBJECT_ID), claim(SUBJECT), provider.toLowerCase());
  if (!caller) throw unauthenticated();
  return caller;
}
