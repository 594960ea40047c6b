import type { AppDeps } from '../deps';
import { SAMPLE_ORGANISATION } from '../seed-samples';

const DAY = 86_400_000;

/**
 * A consultation on the sample active-travel routes, open for 90 days from the first start, so a new
 * install shows the whole flow: comment on the map, moderate in the portal, embed.
 */
export async function seedSampleConsultation(deps: AppDeps): Promise<string | undefined> {
  const routes = await deps.layers.get('sample-active-travel-routes');
  if (!routes?.currentVersion?.bbox) return undefined;
  const [w, s, e, n] = routes.currentVersion.bbox;
  const pad = 0.02;
  const now = deps.clock();
  const c = await deps.consultationService.create({ kind: 'operator' }, {
    organisation: SAMPLE_ORGANISATION.id,
    title: { en: 'Proposed active travel routes (sample)', cy: 'Llwybrau teithio llesol arfaethedig (sampl)' },
    description: {
      en: 'Tell us what you think of the proposed walking and cycling routes: drop a pin, draw a line, or choose a section of a route.',
      cy: 'Dywedwch wrthym beth yw eich barn am y llwybrau cerdded a beicio arfaethedig: gollyngwch bin, tynnwch linell, neu dewiswch ran o lwybr.',
    },
    questions: [
      { id: 'how-often', text: { en: 'How often would you use these routes?', cy: 'Pa mor aml fyddech chi’n defnyddio’r llwybrau hyn?' }, type: 'choice', options: [
        { id: 'daily', label: { en: 'Most days', cy: 'Y rhan fwyaf o ddyddiau' } },
        { id: 'weekly', label: { en: 'Every week', cy: 'Bob wythnos' } },
        { id: 'rarely', label: { en: 'Rarely or never', cy: 'Anaml neu byth' } },
      ] },
    ],
    categories: [
      { id: 'safety', label: { en: 'Safety', cy: 'Diogelwch' } },
      { id: 'new-route', label: { en: 'A route we missed', cy: 'Llwybr a fethwyd gennym' } },
      { id: 'surface', label: { en: 'Surface and lighting', cy: 'Wyneb a goleuadau' } },
    ],
    commentKinds: ['point', 'line', 'feature'],
    layers: [routes.slug],
    area: { type: 'Polygon', coordinates: [[[w - pad, s - pad], [e + pad, s - pad], [e + pad, n + pad], [w - pad, n + pad], [w - pad, s - pad]]] },
    opensAt: new Date(now.getTime() - DAY).toISOString(),
    closesAt: new Date(now.getTime() + 90 * DAY).toISOString(),
  });
  deps.log.info({ consultation: c.id }, 'sample consultation opened');
  return c.id;
}
