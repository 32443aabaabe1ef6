import type { Transaction } from 'sequelize';
import type { AutomaticStep } from '../workflows/automatic-steps';
import type { FlowDefinition } from '../workflows/flow-definition';

/** What the order runtime needs from the flows module. */
export interface FlowsPort {
  version(versionId: number): Promise<{ id: number; flowId: number; version: number; definition: FlowDefinition }>;
  latestVersion(flowCode: string): Promise<{ id: number; flowId: number; version: number; definition: FlowDefinition } | null>;
  /** The registered automatic step of that name (core or plugin). */
  automaticStep(name: string): AutomaticStep | undefined;
}

/** Business-calendar arithmetic. */
export interface CalendarsPort {
  addBusinessMinutes(code: string, from: Date, minutes: number): Promise<Date>;
  businessMinutesBetween(code: string, from: Date, to: Date): Promise<number>;
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

/** Where a paused timer is due once resumed (by default: later by the time it spent paused). */
export type DueAfterPause = (timer: { dueAt: Date; pausedAt: Date }) => Date | Promise<Date>;

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
  resume(subject: { subjectType: string; subjectId: number }, tx?: Transaction, dueAfterPause?: DueAfterPause): Promise<unknown>;
  on(kind: string, handler: (timer: FiredTimer, context: { tx: Transaction }) => Promise<void>): void;
}
