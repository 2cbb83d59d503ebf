import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { HttpFunction } from '../../shared/functions/definitions.js';
import { endpoint } from '../../shared/http/endpoint.js';
import { json, readJsonBody } from '../../shared/http/input.js';

// Demo mode's sign-in, for the SPA served by the local host: in Azure the SPA signs in with Entra
// (MSAL Browser); here the simulator issues the caller tokens, as `npm start` prints one. These
// functions exist only in the local host of demo mode and of the browser tests (never in functions/all.ts).

export interface DemoUser {
  email: string;
  display_name: string;
}

export interface DemoIssuer {
  callerToken(email: string): Promise<string>;
}

const tokenRequest = z.strictObject({ email: z.email().max(254) });
const TOKEN_LIFETIME_S = 3600; // the simulator's caller tokens (dev/sim/identity/issuer.ts)

/** `GET /api/demo/users` (the seeded simulator users) and `POST /api/demo/token` (a caller token for one). */
export function demoSignInFunctions(issuer: DemoIssuer, users: DemoUser[]): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'demoUsers',
      route: 'demo/users',
      methods: ['GET'],
      handler: endpoint(async () => json(200, { results: users, next_cursor: null })),
    },
    {
      kind: 'http',
      name: 'demoToken',
      route: 'demo/token',
      methods: ['POST'],
      handler: endpoint(async ({ request }) => {
        const { email } = await readJsonBody(request, tokenRequest);
        if (!users.some((u) => u.email.toLowerCase() === email.toLowerCase())) {
          throw new AppError('not_found', 'No seeded demo user has this address.');
        }
        return json(200, {
          access_token: await issuer.callerToken(email),
          token_type: 'Bearer',
          expires_in: TOKEN_LIFETIME_S,
        });
      }),
    },
  ];
}
