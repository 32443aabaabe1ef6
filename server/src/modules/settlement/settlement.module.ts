import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import type { EventEmitter } from '../plugins/outbox';
import type { WorkOrderRuntime } from '../work-orders/work-order-runtime';
import { createAdjustments } from './settlement-adjustments';
import { createPeriodClose } from './settlement-close';
import { createExports } from './settlement-export';
import { createFactsBuilder } from './settlement-facts';
import { factCatalogue } from './settlement-facts-catalogue';
import { createLines } from './settlement-lines';
import { createMyEarnings } from './settlement-me';
import { createPayeeService } from './settlement-payees';
import { createPeriods } from './settlement-periods';
import { createPreview } from './settlement-preview';
import { createPricing } from './settlement-pricing';
import { createReports } from './settlement-reports';
import { createRuleSets } from './settlement-rule-sets';
import { createSettlementScope } from './settlement-scope';
import { createStatements } from './settlement-statements';

/** Settlement: wired onto the work-order runtime, whose finished orders it prices. */
export function createSettlementModule(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; runtime: WorkOrderRuntime; log: Logger; events?: EventEmitter }) {
  const { db, models, audit, queue, log } = deps;
  const scope = createSettlementScope(models);
  const periods = createPeriods(models);
  const statements = createStatements({ db, models, scope });
  const pricing = createPricing({ db, models, queue, facts: createFactsBuilder({ db, models }), periods, log, events: deps.events });
  deps.runtime.onDone((order, tx) => pricing.onOrderDone(order, tx));
  const ruleSets = createRuleSets({ db, models, audit });
  const lines = createLines({ db, models, audit, scope, periods });
  const reports = createReports({ db, models, scope, periods });
  return {
    scope,
    periods,
    pricing,
    statements,
    ruleSets,
    lines,
    reports,
    payees: createPayeeService({ db, models, audit, scope }),
    close: createPeriodClose({ db, models, audit, queue, periods, statements, log, events: deps.events }),
    adjustments: createAdjustments({ db, models, audit, periods, pricing }),
    preview: createPreview({ db, models, periods, ruleSets }),
    exports: createExports({ models, lines, statements, periods }),
    me: createMyEarnings({ db, models, periods, lines, statements }),
    facts: () => factCatalogue(models),
  };
}

export type SettlementModule = ReturnType<typeof createSettlementModule>;
