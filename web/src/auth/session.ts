import type { TokenSource } from '../api/client';

/** Who is signed in to the SPA and how it gets a token for the API. */
export interface Session {
  mode: 'demo' | 'entra';
  user: { name: string; email: string };
  token: TokenSource;
  signOut(): Promise<void>;
}
