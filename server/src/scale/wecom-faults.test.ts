import { settledCallbackOutcome, sendCallbacks } from './callback-burst';
import { startCluster, type Cluster } from './cluster';
import { report, scaleSuite } from './scale-suite';
import { startWecomWithFaults, type Fault, type WecomWithFaults } from './wecom-fault-proxy';

scaleSuite('WeCom answering -1, 45009 and not at all', () => {
  let wecom: WecomWithFaults;
  let cluster: Cluster;
  const urls = () => cluster.instances.map((i) => i.url);

  beforeAll(async () => {
    wecom = await startWecomWithFaults();
    cluster = await startCluster(2, wecom.env);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await wecom?.close();
  });

  it('backs off and retries until every customer of the burst is fetched and stored once', async () => {
    // The first token request fails; of the customer reads, two meet 45009, two hang past the
    // client's timeout, and every third of the first sixty answers -1.
    wecom.injectFaults((api, index): Fault => {
      if (api === 'gettoken') return index === 0 ? { errcode: -1 } : 'pass';
      if (!api.startsWith('externalcontact/')) return 'pass';
      if (index < 2) return { errcode: 45009 };
      if (index < 4) return { holdMs: 20_000 };
      return index < 60 && index % 3 === 0 ? { errcode: -1 } : 'pass';
    });
    const callbacks = wecom.newCustomerCallbacks(60, 'wecom_faults');
    const { acknowledged, failed } = await sendCallbacks(urls, callbacks);
    const ids = callbacks.map((c) => c.externalUserId);
    const outcome = await settledCallbackOutcome(cluster.models, ids, 150_000);
    const injected = (kind: string) => wecom.calls.filter((c) => c.fault !== 'pass' && kind in c.fault);
    const errcodes = wecom.calls.flatMap((c) => (c.fault !== 'pass' && 'errcode' in c.fault ? [c.fault.errcode] : []));
    report('WeCom faults', { sent: callbacks.length, acknowledged: acknowledged.length, injected: { '-1': errcodes.filter((e) => e === -1).length, 45009: errcodes.filter((e) => e === 45009).length, hung: injected('holdMs').length }, apiCalls: wecom.calls.length, ...outcome });
    expect(failed).toBe(0);
    expect(errcodes.filter((e) => e === 45009)).toHaveLength(2);
    expect(outcome).toMatchObject({ stored: ids.length, processed: ids.length, storedTwice: 0, customers: ids.length, refreshesDone: ids.length });
  }, 200_000);
});
