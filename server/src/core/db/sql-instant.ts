import type { Dialect } from './database';

/**
 * A UTC instant as a literal for raw SQL, with milliseconds, in the form Sequelize itself writes
 * (and reads back) for the dialect. Only hot paths that bypass the models need this.
 */
export function sqlInstant(dialect: Dialect, at: Date): string {
  const text = at.toISOString().replace('T', ' ').replace('Z', '');
  return dialect === 'sqlite' ? `${text} +00:00` : text;
}
