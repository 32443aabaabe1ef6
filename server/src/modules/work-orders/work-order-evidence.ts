import type { FieldProblem } from '../../core/errors';
import type { FormField, NodeForm } from '../workflows/flow-definition';

export interface SubmittedEvidence {
  form: Record<string, unknown>;
  parts: Array<{ name: string; quantity: number }>;
  /** Photos and signatures uploaded for this node since it was entered. */
  photos: number;
  signatures: number;
  /** The closest GPS check-in at this node, in metres from the order's address, if any. */
  checkInDistanceM: number | null;
  /** Whether the order has a position to check in against. */
  orderHasPosition: boolean;
}

function fieldProblem(field: FormField, value: unknown): string | null {
  const missing = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
  if (missing) return field.required ? 'required' : null;
  switch (field.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 2000 ? null : 'must be text of at most 2000 characters';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO-8601 date';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'select':
      return typeof value === 'string' && (!field.options || field.options.includes(value)) ? null : `must be one of ${(field.options ?? []).join(', ')}`;
    case 'multiselect':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && (!field.options || field.options.includes(v))) ? null : `must be a list of ${(field.options ?? []).join(', ')}`;
    default:
      return 'unknown field type';
  }
}

/**
 * What is missing or wrong in a node's evidence, as field problems the client can show. The server
 * decides; a page that skips a check gets the same answer.
 */
export function evidenceProblems(form: NodeForm | undefined, evidence: SubmittedEvidence): FieldProblem[] {
  if (!form) return [];
  const problems: FieldProblem[] = [];
  for (const field of form.fields) {
    const problem = fieldProblem(field, evidence.form[field.key]);
    if (problem) problems.push({ path: `body.form.${field.key}`, message: problem });
  }
  const known = new Set(form.fields.map((f) => f.key));
  for (const key of Object.keys(evidence.form)) if (!known.has(key)) problems.push({ path: `body.form.${key}`, message: 'not a field of this node' });
  if (evidence.photos < form.minPhotos) problems.push({ path: 'photos', message: `at least ${form.minPhotos} photos of this step are required (${evidence.photos} uploaded)` });
  if (form.signature && evidence.signatures < 1) problems.push({ path: 'signature', message: "the customer's signature is required" });
  if (form.checkInWithinMeters !== undefined) {
    if (!evidence.orderHasPosition) problems.push({ path: 'checkIn', message: "the order has no position for the customer's address; set it before checking in" });
    else if (evidence.checkInDistanceM === null) problems.push({ path: 'checkIn', message: `a GPS check-in within ${form.checkInWithinMeters} m of the customer's address is required` });
    else if (evidence.checkInDistanceM > form.checkInWithinMeters) {
      problems.push({ path: 'checkIn', message: `the check-in was ${Math.round(evidence.checkInDistanceM)} m from the customer's address; within ${form.checkInWithinMeters} m is required` });
    }
  }
  if (form.partsList && evidence.parts.length === 0) problems.push({ path: 'body.parts', message: 'the spare-parts list is required' });
  return problems;
}
