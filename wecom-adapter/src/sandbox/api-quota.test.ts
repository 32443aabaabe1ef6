import { manualClock, startTestSandbox } from './sandbox-test-kit';

describe('sandbox per-minute API quota', () => {
  it('answers 45009 once an API passes its per-minute quota and recovers the next minute', async () => {
    const clock = manualClock(Date.UTC(2024, 0, 1, 8, 0, 10));
    const kit = await startTestSandbox({ clock: clock.now, quotaPerMinute: 5, seed: { employees: 2, customers: 3, seed: 2 } });
    try {
      const token = await kit.token('customer');
      for (let i = 0; i < 5; i += 1) expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(0);
      expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(45009);
      // The quota is per API: another endpoint still answers.
      expect((await kit.post('externalcontact/get_corp_tag_list', token, {})).errcode).toBe(0);
      clock.advance(49_000);
      expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(45009);
      clock.advance(1_000);
      expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(0);
    } finally {
      await kit.close();
    }
  });

  it('answers -1 for every call at errorRate 1, set at run time through the control API', async () => {
    const kit = await startTestSandbox({ seed: { employees: 2, customers: 3, seed: 2 } });
    try {
      const token = await kit.token('customer');
      await kit.http.post('/__sandbox/faults', { errorRate: 1 });
      expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(-1);
      await kit.http.post('/__sandbox/faults', { errorRate: 0 });
      expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(0);
    } finally {
      await kit.close();
    }
  });
});
