/**
 * Every bench scenario syncs the whole seeded calendar and mailbox: the simulator seeds events
 * within ±60 days and mail within the last 60 days, so windows of 61 days hold all of them and
 * "an integration of 500 events" really stores 500 events.
 */
export const WHOLE_SEED_WINDOW = {
  SYNC_CALENDAR_DAYS_BACK: '61',
  SYNC_CALENDAR_DAYS_AHEAD: '61',
  SYNC_MAIL_DAYS: '61',
};

/** The settings every bench scenario with the simulator runs under: the whole seed, and a quiet log. */
export const BENCH_SETTINGS = { ...WHOLE_SEED_WINDOW, LOG_LEVEL: 'warn' };
