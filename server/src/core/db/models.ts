import type { Sequelize } from 'sequelize';
import { defineAuditModels } from '../../modules/audit/audit.models';
import { defineSessionModel } from '../../modules/auth/session.model';
import { defineCustomerModel } from '../../modules/customers/customer.model';
import { defineOrgModels } from '../../modules/org/org.models';
import { defineJobModels } from '../jobs/job.models';

export function defineModels(sequelize: Sequelize) {
  return {
    ...defineOrgModels(sequelize),
    ...defineAuditModels(sequelize),
    ...defineJobModels(sequelize),
    Session: defineSessionModel(sequelize),
    Customer: defineCustomerModel(sequelize),
  };
}

export type Models = ReturnType<typeof defineModels>;
