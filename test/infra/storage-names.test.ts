import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../functions/all.js';
import { QUEUES, TABLES } from '../../shared/storage/names.js';
import { arrayStrings, varBody } from './bicep.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const storageBicep = readFileSync(join(root, 'infra/modules/storage.bicep'), 'utf8');

// Azure's naming rules: tables 3–63 alphanumerics starting with a letter; queues 3–63 lowercase
// letters, digits and single hyphens, not at either end.
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;
const QUEUE_NAME = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What differs between the names the code uses and the ones storage.bicep creates. */
function nameProblems(bicep: string, tables: readonly string[], queues: readonly string[]): string[] {
  const problems: string[] = [];
  const compare = (kind: string, code: readonly string[], infra: string[]) => {
    for (const n of code)
      if (!infra.includes(n)) problems.push(`${kind} ${n} is used by the code but not created by storage.bicep`);
    for (const n of infra)
      if (!code.includes(n)) problems.push(`${kind} ${n} is created by storage.bicep but not used by the code`);
    if (new Set(infra).size !== infra.length) problems.push(`storage.bicep lists a ${kind} twice`);
  };
  compare('table', tables, arrayStrings(varBody(bicep, 'tableNames')));
  compare('queue', queues, arrayStrings(varBody(bicep, 'queueNames')));
  return problems;
}

/** Table/queue names the code passes as literals to the storage SDKs, outside shared/storage/names.ts. */
function literalNamesInCode(): { tables: string[]; queues: string[] } {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(root, 'shared'));
  walk(join(root, 'functions'));
  const tables: string[] = [];
  const queues: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /\.table\(\s*'([^']+)'|new TableClient\([^)]*?,\s*'([^']+)'|fromConnectionString\([^)]*?,\s*'([^']+)'/g,
    ))
      tables.push(m[1] ?? m[2] ?? m[3]!);
    for (const m of text.matchAll(/\.queue\(\s*'([^']+)'|getQueueClient\(\s*'([^']+)'/g)) queues.push(m[1] ?? m[2]!);
  }
  return { tables, queues };
}

describe('queues and tables are named consistently in the code, the triggers and storage.bicep', () => {
  const queues = Object.values(QUEUES);

  it('storage.bicep creates exactly the tables and queues of shared/storage/names.ts', () => {
    expect(nameProblems(storageBicep, TABLES, queues)).toEqual([]);
  });

  it('a broken copy is caught: a queue left out, a table renamed', () => {
    const noPoison = storageBicep.replace(/^\s*'sync-jobs-poison'\n/m, '');
    expect(nameProblems(noPoison, TABLES, queues)).toEqual([
      'queue sync-jobs-poison is used by the code but not created by storage.bicep',
    ]);
    const renamed = storageBicep.replace("'SyncState'", "'Syncstate'");
    expect(nameProblems(renamed, TABLES, queues)).toEqual([
      'table SyncState is used by the code but not created by storage.bicep',
      'table Syncstate is created by storage.bicep but not used by the code',
    ]);
  });

  it('every name is valid in Azure, and the poison queue is the one the Functions host uses', () => {
    for (const t of TABLES) expect(t).toMatch(TABLE_NAME);
    for (const q of queues) expect(q).toMatch(QUEUE_NAME);
    // The host moves a message that failed maxDequeueCount times to `<queue>-poison`.
    expect(QUEUES.syncJobsPoison).toBe(`${QUEUES.syncJobs}-poison`);
  });

  it('the queue triggers listen on those queues through the host storage connection', () => {
    const triggers = definitions.filter((d) => d.kind === 'queue');
    expect(triggers.map((d) => d.queueName).sort()).toEqual([...queues].sort());
    for (const t of triggers) expect(t.connection).toBe('AzureWebJobsStorage');
  });

  it('no code names a table or queue outside the shared list', () => {
    const { tables, queues: used } = literalNamesInCode();
    expect(tables.filter((t) => !(TABLES as readonly string[]).includes(t))).toEqual([]);
    expect(used.filter((q) => !(queues as string[]).includes(q))).toEqual([]);
    expect(tables.length).toBeGreaterThan(0);
  });
});
