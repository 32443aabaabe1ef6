import type { Models } from '../../../core/db/models';
import { internalHostProblem } from '../../../core/net/internal-address';
import { validationFailed, type FieldProblem } from '../../../core/errors';
import type { RuleBody } from './rule.schemas';

/**
 * Checks what a rule refers to exists (tags, stages) and that a rule with a webhook has a secret to
 * sign it with and, unless allowed, does not name an internal address; every problem is reported
 * with its path, and nothing is written when there is one.
 */
export async function checkRuleRefs(models: Models, input: Pick<RuleBody, 'trigger' | 'actions'>, webhooks: { hasSecret: boolean; allowInternal: boolean }): Promise<void> {
  const problems: FieldProblem[] = [];
  const stageExists = async (code: string) => Boolean(await models.CustomerStage.findOne({ where: { code }, attributes: ['id'], raw: true }));
  const tagsFound = async (ids: number[]) => new Set((await models.Tag.findAll({ where: { id: ids }, attributes: ['id'], raw: true })).map((t) => Number(t.id)));

  if (input.trigger.type === 'tag_added' && input.trigger.tagId !== undefined && !(await tagsFound([input.trigger.tagId])).has(input.trigger.tagId)) {
    problems.push({ path: 'body.trigger.tagId', message: `no tag ${input.trigger.tagId}` });
  }
  if (input.trigger.type === 'stage_changed' && input.trigger.stage !== undefined && !(await stageExists(input.trigger.stage))) {
    problems.push({ path: 'body.trigger.stage', message: `no stage ${input.trigger.stage}` });
  }
  for (const [i, action] of input.actions.entries()) {
    if (action.type === 'change_stage') {
      if (!(await stageExists(action.stage))) problems.push({ path: `body.actions.${i}.stage`, message: `no stage ${action.stage}` });
    } else if (action.type === 'add_tags' || action.type === 'remove_tags') {
      const found = await tagsFound(action.tagIds);
      action.tagIds.forEach((id, j) => found.has(id) || problems.push({ path: `body.actions.${i}.tagIds.${j}`, message: `no tag ${id}` }));
    } else if (action.type === 'webhook') {
      if (!webhooks.hasSecret) problems.push({ path: 'body.webhookSecret', message: 'a rule with a webhook action needs a secret (16–128 characters) to sign its requests' });
      const internal = webhooks.allowInternal ? null : internalHostProblem(action.url);
      if (internal) problems.push({ path: `body.actions.${i}.url`, message: `${internal}; WEBHOOK_ALLOW_INTERNAL=true lets webhooks reach it` });
    }
  }
  if (problems.length) throw validationFailed(problems);
}
