// Table and queue names: one list, read by the code, by infra/ (via the consistency test) and by
// the queue triggers' registrations. Kept free of SDK imports so registration stays light.
export const TABLES = [
  'Integrations',
  'TokenCaches',
  'OAuthStates',
  'CalendarEvents',
  'EmailMessages',
  'SyncState',
  'Subscriptions',
  'IdempotencyKeys',
] as const;
export type TableName = (typeof TABLES)[number];

export const QUEUES = {
  syncJobs: 'sync-jobs',
  syncJobsPoison: 'sync-jobs-poison',
  /** Change and lifecycle notifications as the endpoints accepted them (shared/realtime). */
  notifications: 'notifications',
  notificationsPoison: 'notifications-poison',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
