import { startTestServer, type TestServer } from '../src/testing/test-server';
import { measureTimerScan } from './timer-scan';

describe('the timer due-scan bench helper', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it('seeds open timers, times the due-scan and removes its rows again', async () => {
    const { scanMs } = await measureTimerScan(server.running.services, 5000);
    expect(scanMs).toBeGreaterThan(0);
    expect(await server.running.services.models.Timer.count({ where: { subject_type: 'bench.timer-scan' } })).toBe(0);
  });
});
