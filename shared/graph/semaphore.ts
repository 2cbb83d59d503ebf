/** A counting semaphore: at most `limit` tasks run at once; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const mailboxes = new Map<string, { semaphore: Semaphore; users: number }>();

/**
 * The process-wide semaphore of one mailbox: the calendar and the mail integration of the same
 * Microsoft account share it, so together they stay within the mailbox's concurrency limit.
 */
export async function withMailboxSlots<T>(
  mailbox: string,
  limit: number,
  task: (slots: Semaphore) => Promise<T>,
): Promise<T> {
  let entry = mailboxes.get(mailbox);
  if (!entry) {
    entry = { semaphore: new Semaphore(limit), users: 0 };
    mailboxes.set(mailbox, entry);
  }
  entry.users++;
  try {
    return await task(entry.semaphore);
  } finally {
    if (--entry.users === 0) mailboxes.delete(mailbox);
  }
}
