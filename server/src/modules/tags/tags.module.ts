import type { Services } from '../../app';
import { registerTagBulkJob } from './tag-bulk.job';
import { registerTagSync } from './tag-sync';

/** Corp tags: the `tags` sync, change_external_tag events and the bulk marking job. */
export function registerTagsModule(services: Services): void {
  registerTagSync(services);
  registerTagBulkJob(services);
}
