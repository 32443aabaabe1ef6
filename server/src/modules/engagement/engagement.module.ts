import type { Services } from '../../app';
import { createChannelAttribution } from './contact-ways/channel-attribution';
import { createChannelReports } from './contact-ways/channel-reports';
import { createContactWayLookup, type ContactWayLookup } from './contact-ways/contact-way-lookup';
import { createContactWayService } from './contact-ways/contact-way.service';
import { createJourneyModule } from './journey/journey.module';
import { createFollowTaskService } from './rules/follow-task.service';
import { registerFollowTaskReminders } from './rules/follow-task-reminder.job';
import { createMassMessages, registerMassMessages } from './mass-messages/mass-message.module';
import { createMediaCache } from './media-cache';
import { registerCouponJob } from './rules/rule-coupon.job';
import { registerRuleEvents } from './rules/rule-events';
import { registerWebhookJob } from './rules/rule-webhook.job';
import { createRuleService } from './rules/rule.service';
import { createOverdueReminders, OVERDUE_SCHEDULE } from './rules/follow-task-overdue';
import { registerWelcomeLane } from './contact-ways/welcome-lane';
import { createWelcomeSender } from './contact-ways/welcome-sender';

/** Every minute: members on duty change with the schedule. */
const STAFF_SCHEDULE = '0 * * * * *';
/** Hourly at :05 (Asia/Shanghai), elected once across instances; firings are once per period anyway. */
const RULES_SCHEDULE = '0 5 * * * *';

type Deps = Pick<Services, 'db' | 'models' | 'audit' | 'timeline' | 'queue' | 'scheduler' | 'wecom' | 'log' | 'pii' | 'cipher' | 'outbox' | 'plugins' | 'kv' | 'config'>;

/** One lookup per app, shared by the fast lane and the console API, so an edit drops the cache both read. */
const lookups = new WeakMap<Deps['models'], ContactWayLookup>();
const lookupOf = (models: Deps['models']) => lookups.get(models) ?? lookups.set(models, createContactWayLookup(models)).get(models)!;

/** The console-facing services: contact ways, channel reports, automation rules and their follow-up tasks. */
export function createEngagementModule(services: Deps) {
  const { db, models, audit } = services;
  const media = createMediaCache({ models });
  const massMessages = createMassMessages(services);
  return {
    contactWays: createContactWayService({ ...services, ways: lookupOf(models), media }),
    reports: createChannelReports({ db, models }),
    rules: createRuleService({ db, models, audit, queue: services.queue, cipher: services.cipher, kv: services.kv, config: services.config, phone: services.pii.phone, massMessages }),
    tasks: createFollowTaskService({ db, models, audit }),
    massMessages,
    journey: createJourneyModule(services),
  };
}

export type EngagementModule = ReturnType<typeof createEngagementModule>;

/** Customer engagement's background side: the welcome fast lane, channel attribution and the staff schedule. */
export function registerEngagement(services: Deps): void {
  const { models, queue, wecom } = services;
  const log = services.log.child({ component: 'engagement' });
  const ways = lookupOf(models);
  const sender = createWelcomeSender({ models, runtime: wecom.runtime, ways, media: createMediaCache({ models }), log });
  registerWelcomeLane({ models, queue, events: wecom.events, onStored: (listener) => wecom.callbacks.onStored(listener), sender, log });
  createChannelAttribution({ ...services, ways }).register();
  registerMassMessages(services, createMediaCache({ models }));
  const { contactWays, rules } = createEngagementModule(services);
  services.scheduler.register({ name: 'engagement.contact-ways.staff', schedule: STAFF_SCHEDULE, run: async () => void (await contactWays.syncStaff()) });
  services.scheduler.register({ name: 'engagement.rules.scheduled', schedule: RULES_SCHEDULE, run: async (tick) => void (await rules.runScheduled(tick)) });
  // event rules and the actions that run after their firing commits
  registerRuleEvents({ models, queue, outbox: services.outbox, evaluator: rules.evaluator, log });
  registerFollowTaskReminders({ models, queue, runtime: wecom.runtime });
  const overdue = createOverdueReminders({ models, runtime: wecom.runtime, log });
  services.scheduler.register({ name: 'engagement.tasks.overdue', schedule: OVERDUE_SCHEDULE, run: async (tick) => void (await overdue.run(tick)) });
  registerWebhookJob({ db: services.db, models, queue, cipher: services.cipher, allowInternal: services.config.WEBHOOK_ALLOW_INTERNAL });
  registerCouponJob({ db: services.db, models, queue, filters: { run: services.plugins.runFilter } });
}
