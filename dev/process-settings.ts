import { resetAuthentication } from '../shared/identity/authenticate.js';
import { resetRoot } from '../shared/root.js';

/**
 * Writes app settings into this process's environment (undefined removes one) and drops every
 * memoised adapter, so the next call re-reads them. For tests and benchmarks that run the app
 * in-process against their own Azurite and simulator.
 */
export function setProcessSettings(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetRoot();
  resetAuthentication();
}
