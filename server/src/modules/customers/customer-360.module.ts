import type { Customer360Deps } from './customer-360.deps';
import { createCustomer360Service } from './customer-360.service';
import { createCustomerDuplicatesService } from './customer-duplicates.service';
import { createCustomerFieldsService } from './customer-fields.service';
import { createCustomerHistoryService } from './customer-history.service';
import { createCustomerMergeService } from './customer-merge.service';
import { createCustomerNotesService } from './customer-notes.service';
import { createCustomerStagesService } from './customer-stages.service';
import { createCustomerStoreReassignService } from './customer-store-reassign.service';

/** The customer 360 services: detail, notes, timeline, stages, custom fields, store reassignment, duplicates and merge. */
export function createCustomer360Module(deps: Customer360Deps) {
  return {
    detail: createCustomer360Service(deps),
    notes: createCustomerNotesService(deps),
    history: createCustomerHistoryService(deps),
    stages: createCustomerStagesService(deps),
    fields: createCustomerFieldsService(deps),
    storeReassign: createCustomerStoreReassignService(deps),
    duplicates: createCustomerDuplicatesService(deps),
    merge: createCustomerMergeService(deps),
  };
}

export type Customer360Module = ReturnType<typeof createCustomer360Module>;
