import { loadConfig } from '../config/load-config';
import { createDatabase } from '../core/db/database';
import { defineModels } from '../core/db/models';
import { createLogger } from '../core/logger';

/** What a command-line script needs: configuration, a logger to stderr and the database. */
export function scriptContext() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const db = createDatabase(config.DB_URL, log);
  return { config, log, db, models: defineModels(db.sequelize) };
}
