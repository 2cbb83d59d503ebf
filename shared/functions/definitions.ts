import type { HttpHandler, HttpMethod, StorageQueueHandler, TimerHandler } from '@azure/functions';

/**
 * One function's trigger and handler. functions/all.ts lists every definition; functions/index.ts
 * registers them with the Azure Functions runtime and dev/host serves the very same list locally.
 */
export type FunctionDefinition = HttpFunction | TimerFunction | QueueFunction;

export interface HttpFunction {
  kind: 'http';
  name: string;
  /** Route under the `api` prefix, Functions syntax: `integrations/{id}`. Literal segments win over parameters. */
  route: string;
  methods: HttpMethod[];
  handler: HttpHandler;
}

export interface TimerFunction {
  kind: 'timer';
  name: string;
  /** NCRONTAB (six fields, seconds first); `%NAME%` is replaced by the app setting NAME, as the runtime does. */
  schedule: string;
  handler: TimerHandler;
}

export interface QueueFunction {
  kind: 'queue';
  name: string;
  queueName: string;
  /** App setting prefix of the storage account: `AzureWebJobsStorage`. */
  connection: string;
  handler: StorageQueueHandler;
}
