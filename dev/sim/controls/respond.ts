import type { z } from 'zod';
import { json, parseJson, type SimRequest, type SimResponse } from '../http.js';

/** A control's refusal, answered as `{error, message, issues?}`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** Parses a control's JSON body (an empty body is `{}`) with its schema; 400 on anything else. */
export function parseBody<T extends z.ZodType>(req: SimRequest, schema: T): z.infer<T> {
  const raw = parseJson(req.body);
  if (!raw.ok) throw new ControlError(400, 'invalid_json', 'The request body is not valid JSON.');
  return parseWith(schema, raw.value ?? {});
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
    }));
    throw new ControlError(400, 'validation_failed', 'One or more fields are not valid.', issues);
  }
  return result.data;
}

export function controlErrorResponse(error: ControlError): SimResponse {
  return json(error.status, {
    error: error.code,
    message: error.message,
    ...(error.issues ? { issues: error.issues } : {}),
  });
}

export const notFound = (what: string): ControlError => new ControlError(404, 'not_found', `${what} not found.`);
