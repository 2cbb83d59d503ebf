export type Env = Record<string, string | undefined>;

/**
 * Replaces each `%NAME%` with the app setting NAME, as the Functions runtime does for binding
 * expressions (timer schedules, queue names). A missing setting is an error naming it, never a
 * silent empty string; `%%` stands for a literal `%`.
 */
export function resolveSettings(text: string, env: Env, where: string): string {
  return text.replace(/%([^%]*)%/g, (_, name: string) => {
    if (name === '') return '%';
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      throw new Error(`${where}: app setting "${name}" (referenced as %${name}%) is not set`);
    }
    return value.trim();
  });
}
