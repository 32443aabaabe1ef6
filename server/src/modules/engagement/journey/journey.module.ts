import type { Services } from '../../../app';
import { createJourneyFunnel } from './journey-funnel.service';
import { createJourneyStageService } from './journey-stages.service';

/** The customer journey's services: its configurable stages and the funnel computed from them. */
export function createJourneyModule(services: Pick<Services, 'db' | 'models' | 'audit' | 'pii'>) {
  const stages = createJourneyStageService(services);
  return { stages, funnel: createJourneyFunnel({ ...services, phone: services.pii.phone, stages }) };
}

export type JourneyModule = ReturnType<typeof createJourneyModule>;
