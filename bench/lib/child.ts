import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a task child sends back: its answer and its own peak resident set size. */
export interface TaskResult<T> {
  value: T;
  /** process.resourceUsage().maxRSS of the child, in MiB. */
  peakRssMiB: number;
}

/**
 * Runs one named task (bench/task.ts) in a fresh Node process with the current environment (the
 * scenario's app settings), so its peak RSS and its timings are its own: no simulator, no host,
 * no earlier scenario's heap in the same process.
 */
export function runTask<T>(name: string, input: unknown, timeoutMs = 30 * 60_000): Promise<TaskResult<T>> {
  const script = fileURLToPath(new URL('../task.js', import.meta.url));
  const child = fork(script, [name], { env: process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const orphan = () => child.kill('SIGKILL'); // the bench stopped: the task must not outlive it
  process.once('exit', orphan);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`task ${name} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (error: Error | undefined, result?: TaskResult<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      process.off('exit', orphan);
      if (error) reject(error);
      else resolve(result!);
    };
    child.on('message', (message: { ok: boolean; value?: T; error?: string; peakRssMiB: number }) => {
      if (message.ok) finish(undefined, { value: message.value as T, peakRssMiB: message.peakRssMiB });
      else finish(new Error(`task ${name} failed: ${message.error}`));
    });
    child.once('exit', (code) => finish(new Error(`task ${name} exited (code ${code}) without an answer`)));
    child.send({ input });
  });
}
