import { cm } from './consultation-format';
import { consultationFormPage } from './consultation-form-page';
import { consultationPage } from './consultation-page';
import { consultationsPage } from './consultations-page';
import { portalApi, type SessionUser } from './portal-api';

/**
 * The consultation hash routes: #/consultations, #/consultations/new, #/consultations/{id} and
 * #/consultations/{id}/edit. Null when the hash is not one of them.
 */
export function consultationRoute(hash: string, user: SessionUser, announce: (message: string) => void): Promise<HTMLElement> | null {
  const show = (id: string) => {
    location.hash = `#/consultations/${encodeURIComponent(id)}`;
    announce(cm().saved);
  };
  if (hash === '#/consultations') return consultationsPage(user);
  if (hash === '#/consultations/new') return consultationFormPage(user, null, show);
  const edit = /^#\/consultations\/([^/]+)\/edit$/.exec(hash);
  if (edit) return portalApi.consultation(decodeURIComponent(edit[1]!)).then((c) => consultationFormPage(user, c, show));
  const one = /^#\/consultations\/([^/]+)$/.exec(hash);
  if (one) return consultationPage(user, decodeURIComponent(one[1]!), announce);
  return null;
}
