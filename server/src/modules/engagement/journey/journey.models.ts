import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../../core/db/define-table';

export interface JourneyStageRow extends Timestamps {
  id: number;
  name_zh: string;
  name_en: string | null;
  event_type: string;
  /** JSON: the event's settings without its type, see journey-catalogue. */
  event_config: string;
  sort_order: number;
}

export function defineJourneyModels(sequelize: Sequelize) {
  return {
    JourneyStage: defineTable<JourneyStageRow, 'id' | 'created_at' | 'updated_at' | 'name_en'>(sequelize, 'engagement_journey_stages', {
      id,
      name_zh: DataTypes.STRING(32),
      name_en: DataTypes.STRING(32),
      event_type: DataTypes.STRING(32),
      event_config: DataTypes.TEXT,
      sort_order: DataTypes.INTEGER,
    }),
  };
}
