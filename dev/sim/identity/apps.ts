import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** An app registration: who may ask for codes and tokens, and where codes may be sent. */
export const appRegistrationSchema = z
  .object({
    client_id: z.string().trim().min(1).max(200),
    client_secret: z.string().min(1).max(500),
    redirect_uris: z
      .array(z.url({ protocol: /^https?$/ }))
      .min(1)
      .max(50),
  })
  .strict();

export type AppRegistration = z.infer<typeof appRegistrationSchema>;

export class AppRegistry {
  private readonly apps = new Map<string, AppRegistration>();

  /** Registers or replaces an app (client ids compare case-insensitively, as GUIDs do). */
  register(app: AppRegistration): AppRegistration {
    const parsed = appRegistrationSchema.parse(app);
    this.apps.set(parsed.client_id.toLowerCase(), parsed);
    return parsed;
  }

  find(clientId: string | null | undefined): AppRegistration | undefined {
    return clientId ? this.apps.get(clientId.toLowerCase()) : undefined;
  }

  /** Redirect URIs match exactly, character for character, as Microsoft requires. */
  allowsRedirect(app: AppRegistration, redirectUri: string): boolean {
    return app.redirect_uris.includes(redirectUri);
  }

  secretMatches(app: AppRegistration, secret: string): boolean {
    const a = Buffer.from(app.client_secret);
    const b = Buffer.from(secret);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
