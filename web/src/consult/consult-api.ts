import type { FeatureCollection, Geometry, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { Lang } from '../messages';

export type Text = { en: string; cy?: string | null };
export type CommentKind = 'point' | 'line' | 'feature';
export type Sentiment = 'support' | 'neutral' | 'oppose';

/** GET /api/consultations/{id}, as the public sees it. */
export interface Consultation {
  id: string;
  organisation: string;
  organisationName: Text;
  title: Text;
  description: Text;
  questions: { id: string; text: Text; type: 'text' | 'choice'; options?: { id: string; label: Text }[]; required?: boolean }[];
  categories: { id: string; label: Text }[];
  commentKinds: CommentKind[];
  layers: string[];
  area: Polygon | MultiPolygon;
  opensAt: string;
  closesAt: string;
  state: 'scheduled' | 'open' | 'closed';
  responsesLayer: string | null;
  counts: { approved: number; byCategory: Record<string, number> };
}

/** A published (approved) response: never contact details. */
export interface PublicResponse {
  id: string;
  kind: CommentKind;
  geometry: Geometry | null;
  layer: string | null;
  featureId: string | null;
  comment: string;
  category: string | null;
  sentiment: Sentiment | null;
  answers: Record<string, string>;
  createdAt: string;
}

export interface NewResponse {
  kind: CommentKind;
  geometry?: Point | LineString;
  feature?: { layer: string; id: string };
  comment: string;
  category?: string;
  sentiment?: Sentiment;
  answers?: Record<string, string>;
  name?: string;
  email?: string;
  lang: Lang;
  website?: string;
}

/** A refusal as the server words it (application/problem+json): `detail` is already in the language sent. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(detail);
  }
}

const enc = encodeURIComponent;

async function json<T>(res: Response): Promise<T> {
  if (res.ok) return (await res.json()) as T;
  const body = (await res.json().catch(() => ({}))) as { detail?: string; code?: string; field?: string };
  throw new Problem(res.status, body.detail ?? `${res.status}`, body.code, body.field);
}

// Citizens never send the site's cookies: a response is anonymous whoever is signed in.
const get = <T>(url: string, headers: Record<string, string> = {}) => fetch(url, { credentials: 'omit', headers: { Accept: 'application/json', ...headers } }).then((r) => json<T>(r));

export const consultApi = {
  consultation: (id: string) => get<Consultation>(`/api/consultations/${enc(id)}`),
  // Response ids are numbers in the API; the page keeps them as text (data attributes, storage, map properties).
  responses: (id: string) => get<{ responses: PublicResponse[] }>(`/api/consultations/${enc(id)}/responses?limit=1000`).then((r) => r.responses.map((x) => ({ ...x, id: String(x.id) }))),
  submit: (id: string, body: NewResponse) =>
    fetch(`/api/consultations/${enc(id)}/responses`, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body),
    })
      .then((r) => json<{ id: string | number; status: 'pending' | 'approved'; receipt: string }>(r))
      .then((r) => ({ ...r, id: String(r.id) })),
  /** The citizen's own response, whatever its status, shown to whoever holds its receipt. */
  own: (id: string, responseId: string, receipt: string) =>
    get<PublicResponse & { status: 'pending' | 'approved' | 'rejected' }>(`/api/consultations/${enc(id)}/responses/${enc(responseId)}`, { 'X-Response-Receipt': receipt }),
  layerTitle: (slug: string) => get<{ title: Text }>(`/api/layers/${enc(slug)}`).then((l) => l.title),
  /** A layer's features in a box, for the keyboard user's list (the map's tiles carry the same ids). */
  features: (slug: string, bbox: number[], limit: number) =>
    get<FeatureCollection & { numberMatched?: number; numberReturned?: number }>(`/ogc/collections/${enc(slug)}/items?bbox=${bbox.map((n) => n.toFixed(6)).join(',')}&limit=${limit}`),
};
