import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export interface FlowRow extends Timestamps {
  id: number;
  code: string;
  name: string;
  description: string | null;
  /** The draft flow document, JSON. */
  draft: string;
  /** Bumped by every draft save; a save naming an older one is refused. */
  draft_version: number;
  /** The highest version number ever published (deleted versions keep their number used). */
  last_version: number;
  updated_by: number | null;
}

export interface FlowVersionRow extends Timestamps {
  id: number;
  flow_id: number;
  version: number;
  /** The published flow document, JSON; immutable. */
  definition: string;
  published_at: Date;
  published_by: number | null;
}

export function defineFlowModels(sequelize: Sequelize) {
  return {
    Flow: defineTable<FlowRow, 'id' | 'created_at' | 'updated_at' | 'description' | 'draft_version' | 'last_version' | 'updated_by'>(sequelize, 'flows', {
      id,
      code: DataTypes.STRING(64),
      name: DataTypes.STRING(64),
      description: DataTypes.STRING(500),
      draft: DataTypes.TEXT,
      draft_version: DataTypes.INTEGER,
      last_version: DataTypes.INTEGER,
      updated_by: DataTypes.BIGINT,
    }),
    FlowVersion: defineTable<FlowVersionRow, 'id' | 'created_at' | 'updated_at' | 'published_by'>(sequelize, 'flow_versions', {
      id,
      flow_id: DataTypes.BIGINT,
      version: DataTypes.INTEGER,
      definition: DataTypes.TEXT,
      published_at: DataTypes.DATE(3),
      published_by: DataTypes.BIGINT,
    }),
  };
}
