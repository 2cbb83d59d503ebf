import type { GraphService } from '../contract.js';
import type { AppRegistry } from './apps.js';
import type { GrantStore } from './grants.js';
import type { TokenIssuer } from './issuer.js';

/** How the simulated user answers the consent prompt (`POST /_sim/consent`). */
export interface ConsentBehaviour {
  /** On: authorize redirects back at once. Off: a consent page with Accept/Decline. */
  auto: boolean;
  /** Overrides the very next authorize request's answer, then clears. */
  next?: 'accept' | 'deny';
  /** The next consent leaves out these Graph scopes (case-insensitive), then clears. */
  withholdNext?: string[];
}

/** The state the identity endpoints share. */
export interface IdentityContext {
  tenantId: string;
  apps: AppRegistry;
  grants: GrantStore;
  issuer: TokenIssuer;
  graph: GraphService;
  consent: ConsentBehaviour;
}
