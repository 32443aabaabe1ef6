import { startTestSandbox } from './sandbox-test-kit';

describe('sandbox media/upload', () => {
  let kit: Awaited<ReturnType<typeof startTestSandbox>>;
  let token: string;

  beforeAll(async () => {
    kit = await startTestSandbox();
    token = await kit.token('customer');
  });
  afterAll(() => kit.close());

  async function upload(type: string, filename: string, bytes: number, field = 'media') {
    const form = new FormData();
    form.append(field, new Blob([Buffer.alloc(bytes, 1)], { type: 'application/octet-stream' }), filename);
    const res = await fetch(`${kit.url}/cgi-bin/media/upload?access_token=${token}&type=${type}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('returns a media_id and a string created_at for a valid image', async () => {
    const res = await upload('image', 'photo.png', 1024);
    expect(res).toMatchObject({ errcode: 0, type: 'image', media_id: expect.any(String), created_at: expect.stringMatching(/^\d+$/) });
    expect(kit.sandbox.state.media.live(res.media_id as string)).toMatchObject({ size: 1024, filename: 'photo.png' });
  });

  it('enforces size, type and field limits', async () => {
    expect((await upload('image', 'tiny.png', 5)).errcode).toBe(40006);
    expect((await upload('image', 'photo.gif', 100)).errcode).toBe(40005);
    expect((await upload('voice', 'long.amr', 2 * 1024 * 1024 + 1)).errcode).toBe(40006);
    expect((await upload('sticker', 'a.png', 100)).errcode).toBe(40004);
    expect((await upload('file', 'a.pdf', 100, 'file')).errcode).toBe(40058);
    expect((await upload('file', 'report.pdf', 3 * 1024 * 1024)).errcode).toBe(0);
  });
});
