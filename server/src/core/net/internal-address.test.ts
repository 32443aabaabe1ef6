import { createServer, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { InternalAddressError, internalHostProblem, isInternalAddress, publicOnlyLookup } from './internal-address';

describe('internal addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.20.30.40', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['::1', true],
    ['::', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['100.128.0.1', false],
    ['2408:8000::1', false],
    ['::ffff:8.8.8.8', false],
  ])('%s is internal: %s', (address, expected) => {
    expect(isInternalAddress(address)).toBe(expected);
  });

  it('names a URL written with an internal host, and passes a public one', () => {
    expect(internalHostProblem('http://localhost:3000/hook')).toContain('localhost is an internal address');
    expect(internalHostProblem('http://api.localhost/hook')).toContain('internal address');
    expect(internalHostProblem('http://[::1]:8080/hook')).toContain('::1 is an internal address');
    expect(internalHostProblem('https://169.254.169.254/latest/meta-data')).toContain('169.254.169.254');
    expect(internalHostProblem('https://hooks.example.com/scrm')).toBeNull();
    expect(internalHostProblem('http://8.8.8.8/hook')).toBeNull();
  });

  it('refuses, when connecting, a name that resolves to an internal address: the request never arrives', async () => {
    let received = 0;
    const server = createServer((_request, response) => {
      received += 1;
      response.end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      const guarded = axios.create({ httpAgent: new Agent({ lookup: publicOnlyLookup }), timeout: 5000 });
      const failure = await guarded.post(`http://localhost:${port}/hook`, '{}').then(
        () => null,
        (error: unknown) => error as { cause?: unknown },
      );
      expect(failure?.cause).toBeInstanceOf(InternalAddressError);
      expect(String((failure?.cause as Error).message)).toMatch(/^localhost resolves to the internal address (127\.0\.0\.1|::1)$/);
      expect(received).toBe(0);
      // The same request without the guard arrives, so it was the guard that stopped it.
      expect((await axios.post(`http://localhost:${port}/hook`, '{}', { timeout: 5000 })).data).toBe('ok');
      expect(received).toBe(1);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('passes a public address through', async () => {
    const resolved = await new Promise<{ address: unknown; family?: number }>((done, fail) => publicOnlyLookup('8.8.8.8', {}, (error, address, family) => (error ? fail(error) : done({ address, family }))));
    expect(resolved).toEqual({ address: '8.8.8.8', family: 4 });
  });
});
