import { z } from 'zod';

/**
 * A string column holding JSON, parsed and checked at the storage edge. A row whose JSON is broken
 * fails its schema like any other bad field (a plain JSON.parse would throw past safeParse).
 */
export const jsonColumn = <S extends z.ZodType>(schema: S) =>
  z.string().transform((text, ctx): z.infer<S> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'JSON of the wrong shape' });
      return z.NEVER;
    }
    return parsed.data;
  });
