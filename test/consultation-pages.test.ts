import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createConsultation } from './helpers/consultations';
import { useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

describe('the consultation page, its embed and oEmbed', () => {
  it('serves the page to anyone, framed only by this site; the embed also by the consultation’s own origins', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token, { frameAncestors: ['https://www.cardiff.gov.uk', 'http://127.0.0.1:8123'] });
    const page = await request(ctx.t.app).get(`/consult/${c.id}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self';");
    expect(page.text).toContain('type="application/json+oembed"');
    const embed = await request(ctx.t.app).get(`/embed/${c.id}`).expect(200);
    expect(embed.headers['content-security-policy']).toContain("frame-ancestors 'self' https://www.cardiff.gov.uk http://127.0.0.1:8123;");
    expect(embed.headers['content-security-policy']).toContain("script-src 'self'");
    const missing = await request(ctx.t.app).get('/consult/c-000000000000').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(ctx.t.app).get('/embed/not-an-id').expect(404);
  });

  it('answers oEmbed for its own consultation pages with an iframe of the embed, and nothing else', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const host = '127.0.0.1';
    const page = `http://${host}/consult/${c.id}?lang=cy&form=off`;
    const res = await request(ctx.t.app).get(`/oembed?url=${encodeURIComponent(page)}&maxwidth=640`).set('Host', host).expect(200);
    expect(res.body).toMatchObject({ version: '1.0', type: 'rich', provider_name: 'Haenau', title: 'Rhwydwaith teithio llesol', width: 640, height: 600 });
    expect(res.body.html).toBe(`<iframe src="http://${host}/embed/${c.id}?lang=cy&#38;form=off" width="640" height="600" title="Rhwydwaith teithio llesol" style="border:0;max-width:100%" loading="lazy"></iframe>`);
    await request(ctx.t.app).get(`/oembed?url=${encodeURIComponent(`https://elsewhere.example/consult/${c.id}`)}`).set('Host', host).expect(404);
    await request(ctx.t.app).get(`/oembed?url=${encodeURIComponent(`http://${host}/consult/c-000000000000`)}`).set('Host', host).expect(404);
    await request(ctx.t.app).get('/oembed').expect(400);
    await request(ctx.t.app).get(`/oembed?url=${encodeURIComponent(page)}&format=xml`).set('Host', host).expect(501);
  });
});
