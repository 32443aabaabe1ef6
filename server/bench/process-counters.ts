import { readdirSync, readFileSync } from 'node:fs';

/** What a process has done so far: CPU (user + system, ms), read/write system calls, and context switches (waiting, and preempted). */
export interface ProcessCounters {
  cpuMs: number;
  syscalls: number;
  waits: number;
  preemptions: number;
}

const zeroCounters: ProcessCounters = { cpuMs: 0, syscalls: 0, waits: 0, preemptions: 0 };

const readOr = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** A process's counters so far, from /proc (all zero where /proc is missing or the process is gone). */
export function countersOf(pid: number | undefined): ProcessCounters {
  if (pid === undefined) return zeroCounters;
  const stat = readOr(`/proc/${pid}/stat`).split(') ')[1]?.split(' ');
  if (!stat) return zeroCounters;
  const field = (text: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  const io = readOr(`/proc/${pid}/io`);
  const status = readOr(`/proc/${pid}/status`);
  return {
    cpuMs: ((Number(stat[11]) + Number(stat[12])) * 1000) / 100,
    syscalls: field(io, 'syscr') + field(io, 'syscw'),
    waits: field(status, 'voluntary_ctxt_switches'),
    preemptions: field(status, 'nonvoluntary_ctxt_switches'),
  };
}

export const sumCounters = (all: ProcessCounters[]): ProcessCounters =>
  all.reduce((a, b) => ({ cpuMs: a.cpuMs + b.cpuMs, syscalls: a.syscalls + b.syscalls, waits: a.waits + b.waits, preemptions: a.preemptions + b.preemptions }), zeroCounters);

/** Processes on this machine whose command name is one of `names` (`mariadbd`, `redis-server`, …); none where /proc is missing. */
export function pidsNamed(names: string[]): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry) && names.includes(readOr(`/proc/${entry}/comm`).trim())).map(Number);
}
