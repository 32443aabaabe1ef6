import { route } from '../../../core/http/define-route';
import { idParams, pageSchema } from '../../../core/http/pagination';
import type { FollowTaskService } from './follow-task.service';
import { followTaskQuery, followTaskView } from './follow-task.schemas';

const tag = 'engagement';

/** Follow-up tasks (跟进任务) made by automation rules, in the caller's data scope. */
export const followTaskRoutes = (tasks: FollowTaskService) => [
  route({
    method: 'get',
    path: '/api/engagement/tasks',
    tag,
    summary: 'Follow-up tasks in your scope: open first, by due time; filter by status, employee or customer',
    permission: 'customer:read',
    query: followTaskQuery,
    response: pageSchema(followTaskView),
    handler: ({ actor, query }) => tasks.list(actor, query),
  }),
  route({ method: 'post', path: '/api/engagement/tasks/:id/done', tag, summary: 'Mark a follow-up task done', permission: 'customer:write', params: idParams, response: followTaskView, handler: ({ actor, params }) => tasks.complete(actor, params.id) }),
];
