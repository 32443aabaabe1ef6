import type { Customer360Module } from './customer-360.module';
import { customerConfigRoutes } from './customer-config.routes';
import { customerMergeRoutes } from './customer-merge.routes';
import { customerProfileRoutes } from './customer-profile.routes';

/** Every customer-360 route, fixed paths (`/duplicates`, `/by-external/…`) before `/api/customers/:id`. */
export const customer360Routes = (m: Customer360Module) => [...customerMergeRoutes(m), ...customerProfileRoutes(m), ...customerConfigRoutes(m)];
