import { AppError } from '../platform/errors';

export type Lang = 'en' | 'cy';
export type Said = { en: string; cy: string };

/**
 * A response refused, said in the citizen's language: `detail` in the language they chose, and
 * `messages` with both, so a page can show either without asking again.
 */
export class ResponseRefused extends AppError {
  constructor(status: number, code: string, said: Said, lang: Lang, extra: Record<string, unknown> = {}, headers?: Record<string, string>) {
    super(status, 'Response not accepted', said[lang], { code, messages: said, ...extra }, headers ? { headers } : undefined);
  }
}

const date = (d: Date, lang: Lang) => d.toLocaleString(lang === 'cy' ? 'cy-GB' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' });

/** Every refusal a citizen can meet, in English and Welsh. */
export const REFUSALS = {
  notOpen: (opens: Date): Said => ({ en: `This consultation opens on ${date(opens, 'en')}; comments cannot be left yet.`, cy: `Mae’r ymgynghoriad hwn yn agor ar ${date(opens, 'cy')}; ni ellir gadael sylwadau eto.` }),
  closed: (closed: Date): Said => ({ en: `This consultation closed on ${date(closed, 'en')}; it no longer takes comments.`, cy: `Caeodd yr ymgynghoriad hwn ar ${date(closed, 'cy')}; nid yw’n derbyn sylwadau mwyach.` }),
  kindNotAllowed: (kind: string): Said => ({ en: `This consultation does not take comments of the kind "${kind}".`, cy: `Nid yw’r ymgynghoriad hwn yn derbyn sylwadau o’r math "${kind}".` }),
  outsideArea: (): Said => ({ en: 'Your comment is outside the area this consultation covers; place it inside the outlined area.', cy: 'Mae eich sylw y tu allan i’r ardal y mae’r ymgynghoriad hwn yn ei chwmpasu; rhowch ef y tu mewn i’r ardal a amlinellir.' }),
  needsGeometry: (kind: string): Said => ({ en: `A comment of the kind "${kind}" needs a ${kind === 'point' ? 'point' : 'line'} on the map.`, cy: `Mae angen ${kind === 'point' ? 'pwynt' : 'llinell'} ar y map ar gyfer sylw o’r math "${kind}".` }),
  badGeometry: (detail: string): Said => ({ en: `The place on the map cannot be used: ${detail}.`, cy: `Ni ellir defnyddio’r lle ar y map: ${detail}.` }),
  needsFeature: (): Said => ({ en: 'Choose a feature of one of the consultation’s layers to comment on.', cy: 'Dewiswch nodwedd o un o haenau’r ymgynghoriad i roi sylw arni.' }),
  unknownFeature: (layer: string, id: string): Said => ({ en: `The layer "${layer}" of this consultation has no feature "${id}".`, cy: `Nid oes gan yr haen "${layer}" yn yr ymgynghoriad hwn nodwedd "${id}".` }),
  noComment: (): Said => ({ en: 'Write a comment.', cy: 'Ysgrifennwch sylw.' }),
  tooLong: (field: string, max: number): Said => ({ en: `The ${field} is too long: at most ${max} characters.`, cy: `Mae’r ${field === 'comment' ? 'sylw' : field === 'name' ? 'enw' : 'ateb'} yn rhy hir: ${max} nod ar y mwyaf.` }),
  badEmail: (): Said => ({ en: 'Enter an email address in the right form, like name@example.com, or leave it out.', cy: 'Rhowch gyfeiriad e-bost yn y ffurf gywir, fel enw@enghraifft.com, neu ei adael allan.' }),
  unknownCategory: (c: string): Said => ({ en: `"${c}" is not one of this consultation’s categories.`, cy: `Nid yw "${c}" yn un o gategorïau’r ymgynghoriad hwn.` }),
  unknownQuestion: (q: string): Said => ({ en: `This consultation has no question "${q}".`, cy: `Nid oes gan yr ymgynghoriad hwn gwestiwn "${q}".` }),
  badChoice: (q: string): Said => ({ en: `The answer to question "${q}" must be one of its options.`, cy: `Rhaid i’r ateb i gwestiwn "${q}" fod yn un o’i ddewisiadau.` }),
  answerRequired: (q: string): Said => ({ en: `Question "${q}" needs an answer.`, cy: `Mae angen ateb i gwestiwn "${q}".` }),
  automated: (): Said => ({ en: 'This response looks automated, so it was not accepted. If you are a person, reload the page and try again.', cy: 'Mae’r ymateb hwn yn edrych yn awtomataidd, felly ni chafodd ei dderbyn. Os ydych yn berson, ail-lwythwch y dudalen a rhowch gynnig arall arni.' }),
  duplicate: (): Said => ({ en: 'We already have this comment from you at this place; it was not sent twice.', cy: 'Mae’r sylw hwn gennym eisoes gennych yn y lle hwn; ni chafodd ei anfon ddwywaith.' }),
  tooMany: (minutes: number): Said => ({ en: `You have sent many comments in a short time. Please try again in ${minutes} minute(s).`, cy: `Rydych wedi anfon llawer o sylwadau mewn amser byr. Rhowch gynnig arall arni ymhen ${minutes} munud.` }),
};
