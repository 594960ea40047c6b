import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Request, type Response, Router } from 'express';
import { AppError, InvalidParameterError, NotFoundError } from '../platform/errors';
import { requestBase } from '../platform/http/links';
import { optionalString } from '../platform/http/query-params';
import { contentSecurityPolicy, WEB_DIST } from '../web/web-app.routes';
import type { ConsultationRepository } from './consultation-repository';

const ID = /^c-[0-9a-f]{12}$/;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The consultation page at /consult/{id}, the same page chrome-less at /embed/{id} (which other
 * sites frame: frame-ancestors is 'self' plus the consultation's own list of origins), and oEmbed
 * (GET /oembed?url=…) so a CMS can turn a consultation link into the embed.
 */
export function consultationPagesRouter(deps: { consultations: ConsultationRepository; basemapStyleUrl?: string; distDir?: string }): Router {
  const router = Router();
  const page = path.join(deps.distDir ?? WEB_DIST, 'consult', 'index.html');
  let html: string | undefined;

  const send = async (id: string, embed: boolean, req: Request, res: Response) => {
    const c = ID.test(id) ? await deps.consultations.get(id) : undefined;
    if (!c) throw new NotFoundError(`There is no consultation "${id}".`);
    if (!existsSync(page)) throw new AppError(503, 'Web app not built', 'The consultation page is not built yet: run `npm run build:web` (npm start does it).');
    html ??= readFileSync(page, 'utf8');
    const self = `${requestBase(req)}/${embed ? 'embed' : 'consult'}/${c.id}`;
    // oEmbed discovery: the link a CMS looks for in the page it was given.
    const discovery = `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(`${requestBase(req)}/oembed?url=${encodeURIComponent(self)}&format=json`)}" title="${escapeHtml(c.title.en)}" />`;
    res.set({
      'Content-Security-Policy': contentSecurityPolicy(deps.basemapStyleUrl, embed ? c.frameAncestors : []),
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    res.type('html').send(html.replace('</head>', `${discovery}\n  </head>`));
  };

  router.get('/consult/:id', (req, res) => send(req.params.id, false, req, res));
  router.get('/embed/:id', (req, res) => send(req.params.id, true, req, res));

  router.get('/oembed', async (req, res) => {
    const url = optionalString(req.query.url, 'url');
    if (!url) throw new InvalidParameterError('url is required: the address of a consultation page, e.g. …/consult/c-0123456789ab.', { parameter: 'url' });
    const format = optionalString(req.query.format, 'format') ?? 'json';
    if (format !== 'json') throw new AppError(501, 'Not implemented', 'Only format=json is offered.');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidParameterError('url is not an absolute URL.', { parameter: 'url' });
    }
    const match = /^\/(?:consult|embed)\/(c-[0-9a-f]{12})$/.exec(parsed.pathname);
    const c = match && parsed.origin === new URL(requestBase(req)).origin ? await deps.consultations.get(match[1]!) : undefined;
    if (!c) throw new NotFoundError('That URL is not a consultation of this site.');
    const size = (name: string, fallback: number) => Math.min(Number(optionalString(req.query[name], name) ?? fallback) || fallback, fallback);
    const width = size('maxwidth', 800);
    const height = size('maxheight', 600);
    const lang = parsed.searchParams.get('lang') === 'cy' ? 'cy' : 'en';
    const src = `${requestBase(req)}/embed/${c.id}${parsed.search}`;
    const title = lang === 'cy' ? (c.title.cy ?? c.title.en) : c.title.en;
    res.json({
      version: '1.0',
      type: 'rich',
      provider_name: 'Haenau',
      provider_url: requestBase(req),
      title,
      width,
      height,
      html: `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(title)}" style="border:0;max-width:100%" loading="lazy"></iframe>`,
    });
  });
  return router;
}
