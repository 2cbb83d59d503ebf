import { app } from '@azure/functions';
import { definitions } from './all.js';

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
