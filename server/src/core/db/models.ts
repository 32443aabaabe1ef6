import type { Sequelize } from 'sequelize';
import { defineAuditModels } from '../../modules/audit/audit.models';
import { defineCustomerImportModels } from '../../modules/customer-import/customer-import.models';
import { defineSessionModel } from '../../modules/auth/session.model';
import { defineCustomerModel } from '../../modules/customers/customer.model';
import { defineCustomerStoreModels } from '../../modules/customers/customer-store.models';
import { defineLossAlertModel } from '../../modules/customer-sync/loss-alert.model';
import { defineCustomerSegmentModel } from '../../modules/customers/customer-segments.model';
import { defineDirectoryModels } from '../../modules/directory/directory.models';
import { defineHandoverModels } from '../../modules/handover/handover.models';
import { defineOrgModels } from '../../modules/org/org.models';
import { defineSettingModel } from '../../modules/settings/settings.model';
import { defineTagBulkJobModel } from '../../modules/tags/tag-bulk-job.model';
import { defineSyncRunModel } from '../../modules/wecom-sync/sync-runs';
import { defineWecomCallbackModel } from '../../modules/wecom/wecom-callback.model';
import { defineJobModels } from '../jobs/job.models';
import { defineTimerModels } from '../timers/timer.models';
import { defineCalendarModels } from '../../modules/calendars/calendar.models';
import { defineFlowModels } from '../../modules/workflows/flow.models';
import { defineWorkOrderModels } from '../../modules/work-orders/work-order.models';
import { defineSettlementModels } from '../../modules/settlement/settlement.models';
import { definePluginModels } from '../../modules/plugins/plugin.models';
import { defineOrderModels } from '../../modules/orders/order.models';
import { defineChatArchiveModels } from '../../modules/chat-archive/chat-archive.models';
import { defineEngagementModels } from '../../modules/engagement/engagement.models';
import { defineJourneyModels } from '../../modules/engagement/journey/journey.models';
import { defineMassMessageModels } from '../../modules/engagement/mass-messages/mass-message.models';

export function defineModels(sequelize: Sequelize) {
  return {
    ...defineOrgModels(sequelize),
    ...defineAuditModels(sequelize),
    ...defineJobModels(sequelize),
    Session: defineSessionModel(sequelize),
    Customer: defineCustomerModel(sequelize),
    ...defineCustomerStoreModels(sequelize),
    ...defineCustomerImportModels(sequelize),
    CustomerSegment: defineCustomerSegmentModel(sequelize),
    Setting: defineSettingModel(sequelize),
    WecomCallback: defineWecomCallbackModel(sequelize),
    SyncRun: defineSyncRunModel(sequelize),
    LossAlert: defineLossAlertModel(sequelize),
    ...defineHandoverModels(sequelize),
    TagBulkJob: defineTagBulkJobModel(sequelize),
    ...defineDirectoryModels(sequelize),
    ...defineCalendarModels(sequelize),
    ...defineTimerModels(sequelize),
    ...defineFlowModels(sequelize),
    ...defineWorkOrderModels(sequelize),
    ...defineSettlementModels(sequelize),
    ...definePluginModels(sequelize),
    ...defineOrderModels(sequelize),
    ...defineChatArchiveModels(sequelize),
    ...defineEngagementModels(sequelize),
    ...defineJourneyModels(sequelize),
    ...defineMassMessageModels(sequelize),
  };
}

export type Models = ReturnType<typeof defineModels>;
