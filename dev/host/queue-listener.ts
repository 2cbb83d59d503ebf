import type { DequeuedMessageItem, QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { QueueFunction } from '../../shared/functions/definitions.js';
import type { QueuesConfig } from './host-json.js';
import { createContext, formatInvocation, runHandler, type LogLine } from './invocation.js';
import { decodeMessage, queueTriggerMetadata } from './queue-message.js';

const MIN_POLL_MS = 100;
const MAX_RECEIVE = 32; // the Queue service's limit per Get Messages call
const MIN_LEASE_MS = 10 * 60_000;
const MAX_LEASE_MS = 7 * 24 * 3600_000;

export interface QueueListenerOptions {
  fn: QueueFunction;
  /** The queue name with %SETTINGS% already resolved. */
  queueName: string;
  service: QueueServiceClient;
  config: QueuesConfig;
  functionTimeoutMs: number | null;
  log: LogLine;
  /** Overrides the processing lease (see HostOptions.messageLeaseMs). */
  leaseMs?: number;
}

/**
 * The queue trigger with the Functions host's semantics: batches of up to batchSize fetched again
 * when in-flight work drops to newBatchThreshold, exponential back-off to maxPollingInterval while
 * empty, delete on success, release after visibilityTimeout on failure, and `<queue>-poison` after
 * maxDequeueCount attempts (or at once for a body that cannot be decoded).
 */
export class QueueListener {
  private readonly queue: QueueClient;
  private readonly poison: QueueClient;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly leaseSeconds: number;
  private ready = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: QueueListenerOptions) {
    this.queue = o.service.getQueueClient(o.queueName);
    this.poison = o.service.getQueueClient(`${o.queueName}-poison`);
    // Hidden while processing for longer than a run may take: the runtime renews; a fixed lease is enough here.
    const lease = o.leaseMs ?? Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, (o.functionTimeoutMs ?? 0) + 60_000));
    this.leaseSeconds = Math.ceil(lease / 1000);
  }

  /** Creates both queues (one attempt; the loop retries if storage is not reachable yet) and starts polling. */
  async start(): Promise<void> {
    await this.ensureQueues().catch((error: unknown) => this.warn('cannot create its queues yet', error));
    this.loop = this.run();
  }

  /** Stops polling and waits for the invocations in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async ensureQueues(): Promise<void> {
    await this.queue.createIfNotExists();
    await this.poison.createIfNotExists();
    this.ready = true;
  }

  private async run(): Promise<void> {
    let delay = MIN_POLL_MS;
    const backOff = async (): Promise<void> => {
      await this.sleep(delay);
      delay = Math.min(delay * 2, this.o.config.maxPollingIntervalMs);
    };
    while (!this.stopped) {
      const capacity = Math.min(MAX_RECEIVE, this.o.config.batchSize - this.inFlight.size);
      if (capacity <= 0 || this.inFlight.size > this.o.config.newBatchThreshold) {
        await this.sleep(); // woken when an invocation finishes
        continue;
      }
      let messages: DequeuedMessageItem[];
      try {
        if (!this.ready) await this.ensureQueues();
        const received = await this.queue.receiveMessages({
          numberOfMessages: capacity,
          visibilityTimeout: this.leaseSeconds,
        });
        messages = received.receivedMessageItems;
      } catch (error) {
        this.warn('cannot poll its queue', error);
        await backOff();
        continue;
      }
      if (messages.length === 0) {
        await backOff();
        continue;
      }
      delay = MIN_POLL_MS;
      for (const message of messages) {
        const work = this.process(message).finally(() => {
          this.inFlight.delete(work);
          this.wake?.();
        });
        this.inFlight.add(work);
      }
    }
  }

  private async process(message: DequeuedMessageItem): Promise<void> {
    const { fn, config } = this.o;
    const decoded = decodeMessage(message.messageText, config.messageEncoding);
    if (!decoded.ok || message.dequeueCount > config.maxDequeueCount) {
      const why = decoded.ok ? `has been dequeued ${message.dequeueCount} times` : 'is not valid base64';
      return this.moveToPoison(message, why);
    }
    const context = createContext(fn.name, 'queueTrigger', this.o.log, queueTriggerMetadata(message, decoded.text));
    const record = { functionName: fn.name, invocationId: context.invocationId, startedAt: performance.now() };
    try {
      await runHandler(fn.name, this.o.functionTimeoutMs, () => fn.handler(decoded.input, context));
    } catch (error) {
      this.o.log(formatInvocation({ ...record, succeeded: false, error }));
      if (message.dequeueCount >= config.maxDequeueCount) {
        return this.moveToPoison(message, `has reached maxDequeueCount (${config.maxDequeueCount})`);
      }
      // Back on the queue after visibilityTimeout, content unchanged, dequeue count kept.
      const visibleIn = Math.ceil(config.visibilityTimeoutMs / 1000);
      return this.settle(message, 'release', () =>
        this.queue.updateMessage(message.messageId, message.popReceipt, undefined, visibleIn),
      );
    }
    this.o.log(formatInvocation({ ...record, succeeded: true }));
    await this.settle(message, 'delete', () => this.queue.deleteMessage(message.messageId, message.popReceipt));
  }

  // The original body, byte for byte (already base64 when the queue uses it), as the runtime copies it.
  private async moveToPoison(message: DequeuedMessageItem, why: string): Promise<void> {
    this.o.log(`Queue '${this.o.queueName}': message ${message.messageId} ${why}; moving it to '${this.poison.name}'`);
    await this.settle(message, 'move to poison', async () => {
      await this.poison.sendMessage(message.messageText);
      await this.queue.deleteMessage(message.messageId, message.popReceipt);
    });
  }

  // If settling fails (storage down, lease lost) the message reappears when its lease ends.
  private async settle(message: DequeuedMessageItem, action: string, run: () => Promise<unknown>): Promise<void> {
    await run().catch((error: unknown) => this.warn(`cannot ${action} message ${message.messageId}`, error));
  }

  private sleep(ms?: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms);
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  // Storage errors carry the request URL and headers; only the status and code are logged.
  private warn(what: string, error: unknown): void {
    const e = error as { statusCode?: unknown; code?: unknown; name?: unknown };
    const detail = [e.name, e.statusCode, e.code]
      .filter((x) => typeof x === 'string' || typeof x === 'number')
      .join(' ');
    this.o.log(`Queue '${this.o.queueName}' (function '${this.o.fn.name}') ${what}: ${detail || 'unknown error'}`);
  }
}
