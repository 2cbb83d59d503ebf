// A child process that runs one bench task and reports its answer and peak RSS (bench/lib/child.ts).
// Each task takes its own input type; `never` admits them all, and the input arrives untyped over IPC.
type Task = (input: never) => Promise<unknown>;

const tasks: Record<string, () => Promise<Task>> = {
  'b2-ours': async () => (await import('./scenarios/b2-tasks.js')).oursInitialSync,
  'b2-raw': async () => (await import('./scenarios/b2-tasks.js')).rawInitialSync,
  'b4-ours': async () => (await import('./scenarios/b4-tasks.js')).oursFanOut,
  'b4-bare': async () => (await import('./scenarios/b4-tasks.js')).bareFanOut,
  'l1-load': async () => (await import('./scenarios/l1-client.js')).loadClient,
  'b6n-load': async () => (await import('./scenarios/b6n-client.js')).deliveryClient,
};

const name = process.argv[2] ?? '';
const send = (message: object) =>
  new Promise<void>((resolve) =>
    process.send!({ ...message, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }, () => resolve()),
  );

process.once('message', async ({ input }: { input: unknown }) => {
  try {
    const load = tasks[name];
    if (!load) throw new Error(`no task named ${name}`);
    await send({ ok: true, value: await (await load())(input as never) });
  } catch (error) {
    await send({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
  // Keep-alive sockets and SDK timers would keep the process up: the answer is all that matters.
  process.exit(0);
});
