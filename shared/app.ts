// The use-cases the function files call, gathered in one module that they import lazily
// (shared/lazy.ts): loading it pulls in MSAL, the Tables and Queues SDKs and the Graph client.
export { deps } from './deps.js';
export { repositories, connectPorts } from './services.js';
export { checkHealth } from './health.js';
export { initiate, complete } from './oauth/connect.js';
export { ownedIntegration } from './integrations/access.js';
export { disconnect } from './integrations/disconnect.js';
export { requestSync, enqueueAfterConnect } from './sync/enqueue.js';
export { handleSyncJob, handlePoisonJob } from './sync/worker.js';
export { scheduleDueSyncs } from './sync/scheduler.js';
export { calendarEventsPage } from './query/event-query.js';
export { emailMessagesPage } from './query/message-query.js';
export { integrationsPage } from './integrations/list-page.js';
