import { Op } from 'sequelize';
import type { Services } from '../../app';

/** Housekeeping every installation runs on a schedule (read in Asia/Shanghai). */
export function registerSystemJobs(services: Pick<Services, 'scheduler' | 'sessions' | 'models' | 'audit' | 'log'>) {
  const { scheduler, sessions, models, audit, log } = services;
  scheduler.register({ name: 'sessions.purge', schedule: '17 * * * *', run: () => sessions.purgeExpired() });
  scheduler.register({
    name: 'jobs.purge',
    schedule: '30 4 * * *',
    run: async () => {
      const cutoff = new Date(Date.now() - 14 * 24 * 3600_000);
      await models.Job.destroy({ where: { status: 'done', updated_at: { [Op.lt]: cutoff } } });
      await models.CronRun.destroy({ where: { started_at: { [Op.lt]: cutoff } } });
    },
  });
  scheduler.register({
    name: 'audit.verify',
    schedule: '0 3 * * *',
    run: async () => {
      const result = await audit.verify();
      if (!result.ok) log.error({ problems: result.problems.slice(0, 20) }, 'audit chain is broken');
      await audit.record({ action: 'audit.verified', targetType: 'audit_chain', actor: { id: null, name: 'system' }, after: { ok: result.ok, checked: result.checked } });
    },
  });
}
