import type Router from '@koa/router';
import { z } from 'zod';
import { SandboxControlError } from './control-error';
import { createDirectoryEvents } from './directory-events';
import { mountLoginPages } from './login-pages';
import type { SandboxControl } from './sandbox-control';

const id = z.number().int().positive();
const schemas = {
  departmentCreated: z.object({ id: id.optional(), name: z.string().min(1).max(64), parentid: id, order: z.number().int().optional() }),
  departmentUpdated: z.object({ id, name: z.string().min(1).max(64).optional(), parentid: id.optional() }),
  departmentDeleted: z.object({ id }),
  employeeUpdated: z.object({
    userId: z.string(),
    newUserId: z.string().min(1).max(64).optional(),
    name: z.string().min(1).max(64).optional(),
    department: z.array(id).min(1).optional(),
    position: z.string().max(64).optional(),
    status: z.union([z.literal(1), z.literal(2)]).optional(),
  }),
  visibility: z.object({ departments: z.array(id).nullable() }),
};

function input<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new SandboxControlError('INVALID_INPUT', z.prettifyError(result.error), 400, result.error.issues);
}

/** Control routes for directory changes and the app's visible range, and the WeCom sign-in pages. */
export function mountDirectoryControlRoutes(router: Router, control: SandboxControl): void {
  const events = createDirectoryEvents(control.state, control.pusher);
  const post = <T>(path: string, schema: z.ZodType<T>, run: (value: T) => unknown) =>
    router.post(`/__sandbox/${path}`, (ctx) => {
      ctx.body = run(input(schema, ctx.request.body));
    });
  router.get('/__sandbox/state/departments', (ctx) => {
    ctx.body = { departments: control.state.directory.listDepartments() };
  });
  post('events/department-created', schemas.departmentCreated, (v) => events.departmentCreated(v));
  post('events/department-updated', schemas.departmentUpdated, (v) => events.departmentUpdated(v));
  post('events/department-deleted', schemas.departmentDeleted, (v) => events.departmentDeleted(v));
  post('events/employee-updated', schemas.employeeUpdated, (v) => events.employeeUpdated(v));
  post('directory/visibility', schemas.visibility, (v) => events.setVisibility(v));
  mountLoginPages(router, control);
}
