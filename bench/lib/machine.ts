import { execFileSync } from 'node:child_process';
import { cpus, totalmem, platform, release } from 'node:os';

/** What the figures were measured on: they mean little without it. */
export function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu_model: cpu[0]?.model.trim() ?? 'unknown',
    memory_bytes: totalmem(),
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${platform()} ${release()}`,
  };
}

/** The commit measured, and whether the working tree had changes (tracked or new files) on top of it. */
export function commit(cwd: string): { commit: string; dirty: boolean } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    // Untracked files count: code not yet committed (bench/ itself, before the lead commits it) runs too.
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain').length > 0 };
  } catch {
    return { commit: 'unknown (not a git checkout)', dirty: false };
  }
}
