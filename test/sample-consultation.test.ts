import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { seedSampleConsultation } from '../server/src/consultations/sample-consultation';
import { respond } from './helpers/consultations';
import { useTestApp } from './helpers/test-app';

const ctx = useTestApp({ seed: true });

describe('the sample consultation a first start opens', () => {
  it('is open over the sample routes and takes a comment on one of their sections', async () => {
    const id = (await seedSampleConsultation(ctx.t.deps))!;
    const c = await request(ctx.t.app).get(`/api/consultations/${id}`).expect(200);
    expect(c.body).toMatchObject({ organisation: 'sample-council', state: 'open', layers: ['sample-active-travel-routes'], commentKinds: ['point', 'line', 'feature'] });
    const section = (await request(ctx.t.app).get('/ogc/collections/sample-active-travel-routes/items?limit=1').expect(200)).body.features[0];
    const res = await respond(ctx.t.app, id, { kind: 'feature', feature: { layer: 'sample-active-travel-routes', id: section.id }, comment: 'Needs better lighting', category: 'surface', answers: { 'how-often': 'weekly' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await request(ctx.t.app).get(`/consult/${id}`).expect(200);
  });
});
