import { app } from '@azure/functions';
import { startTelemetryFromSettings } from '../shared/root.js';
import { definitions } from './all.js';

// Telemetry first, so the first invocation is already traced: the Azure Monitor distro is loaded
// only when APPLICATIONINSIGHTS_CONNECTION_STRING is set, and a failure is logged, never thrown.
await startTelemetryFromSettings();

// The package's entry point ("main"): registers each definition with the Functions runtime.
app.setup({ enableHttpStream: false });
for (const def of definitions) {
  switch (def.kind) {
    case 'http':
      app.http(def.name, { route: def.route, methods: def.methods, authLevel: 'anonymous', handler: def.handler });
      break;
    case 'timer':
      app.timer(def.name, { schedule: def.schedule, handler: def.handler });
      break;
    case 'queue':
      app.storageQueue(def.name, { queueName: def.queueName, connection: def.connection, handler: def.handler });
      break;
  }
}
