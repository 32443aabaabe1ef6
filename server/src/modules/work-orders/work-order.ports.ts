import type { Transaction } from 'sequelize';
import type { FlowDefinition } from '../workflows/flow-definition';

/** What the order runtime needs from the flows module. */
export interface FlowsPort {
  version(versionId: number): Promise<{ id: number; flowId: number; version: number; definition: FlowDefinition }>;
  latestVersion(flowCode: string): Promise<{ id: number; flowId: number; version: number; definition: FlowDefinition } | null>;
}

/** Business-calendar arithmetic. */
export interface CalendarsPort {
  addBusinessMinutes(code: string, from: Date, minutes: number): Promise<Date>;
}

export interface TimerSpec {
  kind: string;
  subjectType: string;
  subjectId: number;
  dueAt: Date;
  payload?: Record<string, unknown>;
  dedupeKey?: string;
}

export interface TimerSubject {
  subjectType: string;
  subjectId: number;
  kind?: string;
}

/** A fired timer as its handler sees it. */
export interface FiredTimer {
  id: number;
  kind: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown> | null;
  dedupeKey: string | null;
}

/** Durable timers: scheduled in the caller's transaction, fired once across instances. */
export interface TimersPort {
  schedule(timer: TimerSpec, tx?: Transaction): Promise<unknown>;
  cancel(subject: TimerSubject, tx?: Transaction): Promise<unknown>;
  pause(subject: { subjectType: string; subjectId: number }, tx?: Transaction): Promise<unknown>;
  resume(subject: { subjectType: string; subjectId: number }, tx?: Transaction): Promise<unknown>;
  on(kind: string, handler: (timer: FiredTimer, context: { tx: Transaction }) => Promise<void>): void;
}
