import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { countersOf, pidsNamed, sumCounters } from './process-counters';

const hasProc = existsSync('/proc/self/stat');

describe('the process counters the scale-out bench reads', () => {
  (hasProc ? it : it.skip)('counts the CPU a process spends and finds processes by command name', () => {
    const before = countersOf(process.pid);
    // Spend 100 ms of CPU, however busy the machine is (the counters tick every 10 ms).
    const started = process.cpuUsage();
    while (process.cpuUsage(started).user < 100_000);
    const after = countersOf(process.pid);
    expect(after.cpuMs - before.cpuMs).toBeGreaterThanOrEqual(90);
    expect(pidsNamed([readFileSync('/proc/self/comm', 'utf8').trim()])).toContain(process.pid);
    expect(sumCounters([before, after]).cpuMs).toBe(before.cpuMs + after.cpuMs);
  });

  it('reads a process that is gone, or none, as zero', () => {
    const exited = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    expect(countersOf(exited)).toEqual({ cpuMs: 0, syscalls: 0, waits: 0, preemptions: 0 });
    expect(countersOf(undefined).cpuMs).toBe(0);
    expect(pidsNamed(['no-such-command-here'])).toEqual([]);
  });
});
