import type { Sequelize } from 'sequelize';
import { defineAuditModels } from '../../modules/audit/audit.models';
import { defineSessionModel } from '../../modules/auth/session.model';
import { defineCustomerModel } from '../../modules/customers/customer.model';
import { defineCustomerStoreModels } from '../../modules/customers/customer-store.models';
import { defineOrgModels } from '../../modules/org/org.models';
import { defineSettingModel } from '../../modules/settings/settings.model';
import { defineSyncRunModel } from '../../modules/wecom-sync/sync-runs';
import { defineWecomCallbackModel } from '../../modules/wecom/wecom-callback.model';
import { defineJobModels } from '../jobs/job.models';

export function defineModels(sequelize: Sequelize) {
  return {
    ...defineOrgModels(sequelize),
    ...defineAuditModels(sequelize),
    ...defineJobModels(sequelize),
    Session: defineSessionModel(sequelize),
    Customer: defineCustomerModel(sequelize),
    ...defineCustomerStoreModels(sequelize),
    Setting: defineSettingModel(sequelize),
    WecomCallback: defineWecomCallbackModel(sequelize),
    SyncRun: defineSyncRunModel(sequelize),
  };
}

export type Models = ReturnType<typeof defineModels>;
