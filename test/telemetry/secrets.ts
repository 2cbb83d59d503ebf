import { expect } from 'vitest';
import type { Provider } from '../../shared/providers.js';
import { adapters } from '../../shared/root.js';
import { testTokenKey } from '../support/settings.js';
import { openAuthorizeUrl } from '../support/sim.js';
import type { Stack } from '../support/stack.js';

/**
 * Every secret a test run handles, gathered where it appears (caller tokens, the authorization
 * code and state, MSAL's stored access, refresh and id tokens, the client secret, the token key),
 * so a leak check can look for each one verbatim in what left the process.
 */
export class Secrets {
  readonly values = new Map<string, string>([
    ['client secret', process.env.MICROSOFT_CLIENT_SECRET ?? ''],
    ['token key', testTokenKey],
  ]);

  constructor(private readonly stack: Stack) {}

  /** The OAuth flow of stack.connect, spelled out to keep the authorization code and state. */
  async connect(email: string, provider: Provider): Promise<{ token: string; id: string }> {
    const token = await this.stack.callerToken(email);
    this.values.set(`caller token ${email}`, token);
    const started = await this.stack.api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider, login_hint: email },
    });
    const params = (await openAuthorizeUrl(started.body.authorization_url)).params!;
    this.values.set(`code ${email}`, params.get('code')!);
    this.values.set(`state ${email}`, params.get('state')!);
    const done = await this.stack.api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider, state: params.get('state'), code: params.get('code') },
    });
    expect(done.status).toBe(201);
    return { token, id: done.body.id as string };
  }

  /** MSAL's cache secrets (access, refresh and id tokens) as stored for an integration. */
  async rememberStoredTokens(integrationId: string): Promise<void> {
    const stored = await (await (await adapters()).stores()).tokenCaches.read(integrationId);
    const cache = JSON.parse(stored!.cache) as Record<string, Record<string, { secret?: string }>>;
    for (const section of ['AccessToken', 'RefreshToken', 'IdToken']) {
      for (const [key, entry] of Object.entries(cache[section] ?? {}))
        if (entry.secret) this.values.set(`${section} ${key}`, entry.secret);
    }
  }

  /** Fails naming the first secret found verbatim in `text`. */
  expectNoneIn(text: string): void {
    for (const [what, value] of this.values) {
      expect(value.length, what).toBeGreaterThan(8);
      expect(text.includes(value), `${what} leaked`).toBe(false);
    }
  }
}
