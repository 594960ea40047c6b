import '../styles.scss';
import { h, replaceChildren } from '../dom';
import { accountPage } from './account-page';
import { consultationRoute } from './consultations-routes';
import { layerPage } from './layer-page';
import { layersPage } from './layers-page';
import { newLayerPage } from './new-layer-page';
import { portalApi, type SessionUser } from './portal-api';
import { portalLang, pt, setPortalLang } from './portal-i18n';
import { signInPage } from './sign-in';

/** The publisher portal at /publish: hash routes #/ (layers) and #/layers/{slug}; sign-in when there is no session. */
async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  setPortalLang(params.get('lang') === 'cy' ? 'cy' : 'en');
  const content = document.getElementById('content')!;
  const nav = document.getElementById('portal-nav')!;
  const status = h('p', { class: 'govuk-body-s app-portal__status', role: 'status', 'aria-live': 'polite', 'data-testid': 'status' });
  let user: SessionUser | null = await portalApi.session();

  const announce = (message: string) => {
    status.textContent = '';
    setTimeout(() => (status.textContent = message), 50);
  };
  const chrome = () => {
    const m = pt();
    document.documentElement.lang = portalLang();
    document.title = m.title;
    document.getElementById('app-tagline')!.textContent = m.tagline;
    document.getElementById('skip-link')!.textContent = m.skip;
    nav.setAttribute('aria-label', m.account);
    const sw = document.getElementById('language-switch') as HTMLAnchorElement;
    const other = portalLang() === 'en' ? 'cy' : 'en';
    sw.textContent = m.otherLanguage;
    sw.lang = other;
    sw.hreflang = other;
    sw.href = `?lang=${other}${location.hash}`;
    replaceChildren(
      nav,
      user
        ? h(
            'span',
            { class: 'govuk-body-s' },
            m.signedInAs(user.name, user.organisation),
            ' ',
            h('a', { class: 'app-header__link', href: '#/consultations', 'data-testid': 'consultations-link' }, m.consultationsLink),
            ' ',
            h('a', { class: 'app-header__link', href: '#/account', 'data-testid': 'account' }, m.accountLink),
            ' ',
            h('button', { class: 'app-link-button', type: 'button', 'data-testid': 'sign-out', on: { click: () => void signOut() } }, m.signOut),
          )
        : null,
    );
  };
  const signOut = async () => {
    await portalApi.signOut().catch(() => {});
    user = null;
    location.hash = '#/';
    void render();
  };
  // Pages load their data before they are drawn: only the latest render may draw, so a slow page
  // asked for before a quick one (#/ then #/account) cannot overwrite it when it arrives.
  let renders = 0;
  const render = async () => {
    const mine = ++renders;
    const draw = (...children: Node[]) => mine === renders && replaceChildren(content, ...children);
    chrome();
    try {
      if (!user) {
        draw(signInPage((u) => ((user = u), void render())), status);
        return;
      }
      const match = /^#\/layers\/(.+)$/.exec(location.hash);
      const page =
        (await consultationRoute(location.hash, user, announce)) ??
        (location.hash === '#/account'
          ? await accountPage(user, announce, () => void render())
          : location.hash === '#/new'
            ? newLayerPage((slug) => (location.hash = `#/layers/${encodeURIComponent(slug)}`))
            : match
              ? await layerPage(decodeURIComponent(match[1]!), announce, () => void render())
              : await layersPage(user));
      draw(page, status);
    } catch {
      draw(h('p', { class: 'govuk-body' }, pt().failed), status);
    }
  };
  window.addEventListener('hashchange', () => {
    void render().then(() => content.focus());
  });
  document.getElementById('language-switch')!.addEventListener('click', (e) => {
    e.preventDefault();
    setPortalLang(portalLang() === 'en' ? 'cy' : 'en');
    history.replaceState(null, '', `?lang=${portalLang()}${location.hash}`);
    void render();
  });
  await render();
}

void start();
