import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { AuditService } from '../audit/audit.service';
import { flowDefinition } from './flow-definition';
import { seedFlowDefinitions } from './flow-seed.definitions';

/**
 * The example flows every installation starts with (installation, repair, return inspection), each
 * with version 1 published. Idempotent: a flow whose code exists is left alone, whatever was edited.
 */
export async function seedFlows(deps: { db: Database; models: Models; audit: AuditService }): Promise<string[]> {
  const { db, models, audit } = deps;
  return db.transaction(async (tx) => {
    const seeded: string[] = [];
    for (const seed of seedFlowDefinitions) {
      if (await models.Flow.findOne({ where: { code: seed.code }, transaction: tx })) continue;
      const definition = JSON.stringify(flowDefinition.parse(seed.definition));
      const flow = await models.Flow.create({ code: seed.code, name: seed.name, description: seed.description, draft: definition, draft_version: 1, last_version: 1 }, { transaction: tx });
      await models.FlowVersion.create({ flow_id: Number(flow.get('id')), version: 1, definition, published_at: new Date() }, { transaction: tx });
      await audit.record({ action: 'flow.published', targetType: 'flow', targetId: Number(flow.get('id')), actor: { id: null, name: 'system' }, after: { code: seed.code, version: 1 } }, tx);
      seeded.push(seed.code);
    }
    return seeded;
  });
}
