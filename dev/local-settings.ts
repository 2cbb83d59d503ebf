import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const fileSchema = z.object({
  Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

/**
 * The app settings for a local run, as Core Tools would read them: local.settings.json's Values
 * (falling back to the committed example), under whatever the environment already sets.
 */
export function localSettings(root: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const own = join(root, 'local.settings.json');
  const file = existsSync(own) ? own : join(root, 'local.settings.json.example');
  const values = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).Values;
  const merged: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) merged[key] = String(value);
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  // Empty strings in the file mean "not set".
  for (const [key, value] of Object.entries(merged)) if (value === '') delete merged[key];
  return merged;
}
