import { manualClock, startTestSandbox } from './sandbox-test-kit';

describe('sandbox customer transfers', () => {
  it('waits 24 h, then moves the customer to the takeover member and reports status 1', async () => {
    const clock = manualClock();
    const kit = await startTestSandbox({ clock: clock.now, seed: { employees: 3, customers: 30, seed: 9 } });
    try {
      const token = await kit.token('customer');
      const [handover, takeover] = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid) as [string, string];
      const customer = kit.sandbox.state.customers.idsOf(handover)[0] as string;
      const started = await kit.post('externalcontact/transfer_customer', token, { handover_userid: handover, takeover_userid: takeover, external_userid: [customer, 'wmunknown'] });
      expect(started.customer).toEqual([{ external_userid: customer, errcode: 0 }, { external_userid: 'wmunknown', errcode: 40096 }]);

      const waiting = await kit.post('externalcontact/transfer_result', token, { handover_userid: handover, takeover_userid: takeover });
      expect(waiting.customer).toEqual([{ external_userid: customer, status: 2, takeover_time: Math.floor(clock.now() / 1000) + 86400 }]);

      clock.advance(24 * 3600_000);
      const fresh = await kit.token('customer'); // the 2-hour token expired meanwhile
      const done = await kit.post('externalcontact/transfer_result', fresh, { handover_userid: handover, takeover_userid: takeover });
      expect(done.customer).toEqual([expect.objectContaining({ external_userid: customer, status: 1 })]);
      expect(kit.sandbox.state.customers.relation(customer, takeover)).toBeDefined();
      expect(kit.sandbox.state.customers.relation(customer, handover)).toBeUndefined();
      expect(kit.sandbox.control.pusher.deliveries.at(-1)).toMatchObject({ changeType: 'del_external_contact', xml: expect.stringContaining('DELETE_BY_TRANSFER') });

      const resigned = await kit.post('externalcontact/resigned/transfer_customer', fresh, { handover_userid: takeover, takeover_userid: handover, external_userid: [customer] });
      expect(resigned.errcode).toBe(40058);
    } finally {
      await kit.close();
    }
  });
});
