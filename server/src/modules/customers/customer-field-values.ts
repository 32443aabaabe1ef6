import { z } from 'zod';
import { assertUnreachable, validationFailed, type FieldProblem } from '../../core/errors';
import type { FieldDef } from './customer-config.schemas';

const isCalendarDate = (value: string) => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
};

/** The zod schema of one field's value, built from its definition. Null (or empty) clears it. */
function valueSchema(def: FieldDef): z.ZodType {
  const named = (message: string) => `${def.label}: ${message}`;
  switch (def.type) {
    case 'text':
      return z.string({ error: named('expected text') }).trim().max(500, named('at most 500 characters'));
    case 'number':
      return z.number({ error: named('expected a number') }).finite(named('expected a finite number'));
    case 'date':
      return z
        .string({ error: named('expected a date as YYYY-MM-DD') })
        .regex(/^\d{4}-\d{2}-\d{2}$/, { message: named('expected a date as YYYY-MM-DD'), abort: true })
        .refine(isCalendarDate, named('not a calendar date'));
    case 'select':
      return z.string({ error: named('expected one option') }).refine((v) => def.options.includes(v), { message: named(`"{value}" is not one of ${def.options.join(', ')}`) });
    case 'multiselect':
      return z
        .array(z.string(), { error: named('expected a list of options') })
        .refine((list) => list.every((v) => def.options.includes(v)), named(`each option must be one of ${def.options.join(', ')}`))
        .refine((list) => new Set(list).size === list.length, named('options must be distinct'));
    default:
      return assertUnreachable(def.type);
  }
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * Validates a change to a customer's custom field values against the field definitions and applies it
 * to the current values. Unknown keys, wrong types, options not in the list and required fields left
 * empty each become a 400 naming the field (`body.values.<key>`).
 */
export function applyFieldValues(defs: FieldDef[], current: Record<string, unknown>, change: Record<string, unknown>): { values: Record<string, unknown>; changed: string[] } {
  const byKey = new Map(defs.map((def) => [def.key, def]));
  const problems: FieldProblem[] = [];
  const values = { ...current };
  const changed: string[] = [];
  for (const [key, raw] of Object.entries(change)) {
    const def = byKey.get(key);
    const path = `body.values.${key}`;
    if (!def) {
      problems.push({ path, message: `no custom field "${key}"` });
      continue;
    }
    const value = typeof raw === 'string' && def.type !== 'text' ? raw.trim() : raw;
    if (isEmpty(value)) {
      if (values[key] !== undefined) changed.push(key);
      delete values[key];
      continue;
    }
    const parsed = valueSchema(def).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ path, message: issue.message.replace('{value}', String(value)) });
      continue;
    }
    const next = def.type === 'text' && parsed.data === '' ? undefined : parsed.data;
    if (JSON.stringify(values[key]) !== JSON.stringify(next)) changed.push(key);
    if (next === undefined) delete values[key];
    else values[key] = next;
  }
  for (const def of defs) {
    if (def.required && isEmpty(values[def.key]) && !problems.some((p) => p.path === `body.values.${def.key}`)) {
      problems.push({ path: `body.values.${def.key}`, message: `${def.label}: required` });
    }
  }
  if (problems.length) throw validationFailed(problems);
  return { values, changed };
}
