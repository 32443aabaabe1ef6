import type { z } from 'zod';
import { validationFailed, type FieldProblem } from '../errors';

export type RequestPart = 'params' | 'query' | 'body';

export function problemsOf(part: RequestPart, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Parses one part of a request; a mismatch becomes a 400 naming every bad field. */
export function parsePart<T>(part: RequestPart, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(problemsOf(part, result.error));
  return result.data;
}
