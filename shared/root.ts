import type { Adapters, UseCases } from './compose.js';
import { parseSettings, type Settings } from './config.js';
import { createLogger, setLogLevel, type Logger } from './log.js';
import { exporterCredential } from './telemetry/exporter-credential.js';
import { startTelemetry } from './telemetry/setup.js';

// The composition root: the one place that reads the settings, builds the adapters and hands out
// the use-cases. This module stays light (function files import it at start-up); the SDK-heavy
// half (compose.ts: MSAL, Tables, Queues, the Graph client) is loaded on the first call that
// needs it. Use-cases never compose themselves: they take their ports from here.

let parsed: Settings | undefined;
let built: Promise<{ adapters: Adapters; useCases: UseCases }> | undefined;

/** The process's settings, parsed on first use (a bad one throws ConfigError naming it). */
export function settings(): Settings {
  if (!parsed) {
    parsed = parseSettings(process.env);
    setLogLevel(parsed.LOG_LEVEL);
  }
  return parsed;
}

function build(): Promise<{ adapters: Adapters; useCases: UseCases }> {
  built ??= (async () => {
    const config = settings();
    const { buildAdapters, composeUseCases } = await import('./compose.js');
    const adapters = await buildAdapters(config);
    return { adapters, useCases: composeUseCases(adapters) };
  })().catch((error: unknown) => {
    // A failed build is dropped: the next invocation tries again (storage or Key Vault may be back).
    built = undefined;
    throw error;
  });
  return built;
}

/** The use-cases over this worker's adapters, built once per worker. */
export async function useCases(): Promise<UseCases> {
  return (await build()).useCases;
}

/** The adapters themselves: for tests and benchmarks that drive a use-case's parts directly. */
export async function adapters(): Promise<Adapters> {
  return (await build()).adapters;
}

/** Forgets the settings and everything built from them, so the next call re-reads the environment. */
export function resetRoot(): void {
  parsed = undefined;
  built = undefined;
  setLogLevel('info');
}

/** The Functions entry point's call: telemetry when APPLICATIONINSIGHTS_CONNECTION_STRING is set. */
export async function startTelemetryFromSettings(log: Logger = createLogger()): Promise<boolean> {
  // Without a connection string telemetry is off whatever else is set: the settings are then parsed
  // at the first invocation, not at every cold start's import.
  if (!process.env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim()) return false;
  let connectionString: string | undefined;
  let authenticationString: string | undefined;
  try {
    ({
      APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: authenticationString,
    } = settings());
  } catch {
    // Invalid settings fail every invocation with a message naming them; telemetry just stays off.
    log.warn('telemetry not started: the settings are invalid');
    return false;
  }
  // In Azure local auth is off: the exporter signs in as the app's identity (infra/main.bicep).
  const credential = connectionString ? await exporterCredential(authenticationString) : undefined;
  return startTelemetry(connectionString, log, credential ? { azureMonitorExporterOptions: { credential } } : {});
}
