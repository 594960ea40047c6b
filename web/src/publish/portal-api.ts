/** The portal's calls: same-origin cookies, and the session's CSRF token on every write. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  organisation: string;
  roles: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** problem+json `fields`: which request members were wrong, when the server names them. */
    readonly fields: ProblemField[] = [],
  ) {
    super(message);
  }
}

/** A field named by a 400: from a schema check ({field, problem}) or a reference check ({field}). */
export interface ProblemField {
  field: string;
  problem?: string;
}

let csrfToken: string | null = null;

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { detail?: string; fields?: ProblemField[]; field?: string };
  if (!res.ok) throw new ApiError(res.status, json.detail ?? res.statusText, json.fields ?? (json.field ? [{ field: json.field }] : []));
  return json as T;
}

export const portalApi = {
  async session(): Promise<SessionUser | null> {
    try {
      const s = await call<{ user: SessionUser; csrfToken: string }>('GET', '/api/session');
      csrfToken = s.csrfToken;
      return s.user;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  async signIn(email: string, password: string): Promise<SessionUser> {
    const s = await call<{ user: SessionUser; csrfToken: string }>('POST', '/api/session', { email, password });
    csrfToken = s.csrfToken;
    return s.user;
  },
  async signOut(): Promise<void> {
    await call('DELETE', '/api/session');
    csrfToken = null;
  },
  layers: (organisation: string) => call<{ layers: PortalLayer[] }>('GET', `/api/layers?organisation=${encodeURIComponent(organisation)}&limit=500`),
  sources: (organisation: string) => call<{ sources: SourceStatus[] }>('GET', `/api/organisations/${encodeURIComponent(organisation)}/sources`),
  layer: (slug: string) => call<PortalLayer & { versions: Version[] }>('GET', `/api/layers/${encodeURIComponent(slug)}`),
  health: (slug: string) => call<Health>('GET', `/api/layers/${encodeURIComponent(slug)}/health`),
  rollback: (slug: string, version: number) => call('POST', `/api/layers/${encodeURIComponent(slug)}/rollback`, { version }),
  harvestNow: (slug: string) => call('POST', `/api/layers/${encodeURIComponent(slug)}/harvest`),
  createLayer: (body: unknown) => call<PortalLayer>('POST', '/api/layers', body),
  latestUpload: async (slug: string) => (await call<{ uploads: UploadState[] }>('GET', `/api/layers/${encodeURIComponent(slug)}/uploads`)).uploads[0],
  csrf: () => csrfToken,
  publishUpload: (slug: string, upload: number) => call<{ version: number; featureCount: number }>('POST', `/api/layers/${encodeURIComponent(slug)}/uploads/${upload}/publish`),
  discardUpload: (slug: string, upload: number) => call('DELETE', `/api/layers/${encodeURIComponent(slug)}/uploads/${upload}`),
  tokens: (org: string) => call<{ tokens: ApiToken[] }>('GET', `/api/organisations/${encodeURIComponent(org)}/tokens`),
  createToken: (org: string, name: string) => call<{ token: string; name: string }>('POST', `/api/organisations/${encodeURIComponent(org)}/tokens`, { name }),
  revokeToken: (org: string, id: number) => call('DELETE', `/api/organisations/${encodeURIComponent(org)}/tokens/${id}`),
  changePassword: (currentPassword: string, newPassword: string) => call('PUT', '/api/session/password', { currentPassword, newPassword }),
  changes: (slug: string, version: number) => call<VersionChanges>('GET', `/api/layers/${encodeURIComponent(slug)}/versions/${version}/changes`),
  inspect: (url: string) => call<ServiceDescription>('POST', '/api/sources/inspect', { url }),
  putSource: (slug: string, body: unknown) => call<{ harvest: { href: string } }>('PUT', `/api/layers/${encodeURIComponent(slug)}/source`, body),
  harvest: (href: string) => call<HarvestState>('GET', href),
  consultations: (organisation: string) => call<{ consultations: Consultation[] }>('GET', `/api/consultations?organisation=${encodeURIComponent(organisation)}`),
  consultation: (id: string) => call<Consultation>('GET', `/api/consultations/${encodeURIComponent(id)}`),
  createConsultation: (body: ConsultationInput) => call<Consultation>('POST', '/api/consultations', body),
  updateConsultation: (id: string, body: Partial<ConsultationInput>) => call<Consultation>('PATCH', `/api/consultations/${encodeURIComponent(id)}`, body),
  responses: (id: string, status: ResponseStatus, limit = 100, offset = 0) =>
    call<{ moderator: boolean; responses: ConsultationResponse[] }>('GET', `/api/consultations/${encodeURIComponent(id)}/responses?status=${status}&limit=${limit}&offset=${offset}`),
  moderate: (id: string, response: number, body: Moderation) => call<ConsultationResponse>('PATCH', `/api/consultations/${encodeURIComponent(id)}/responses/${response}`, body),
  publishResponsesLayer: (id: string) => call<{ layer: string; version: number | null; features: number }>('POST', `/api/consultations/${encodeURIComponent(id)}/publish-layer`),
};

/** Text in English and, optionally, Welsh. */
export interface Bilingual {
  en: string;
  cy?: string | null;
}

export type CommentKind = 'point' | 'line' | 'feature';
export type ResponseStatus = 'pending' | 'approved' | 'rejected';

export interface ConsultationQuestion {
  id: string;
  text: Bilingual;
  type: 'text' | 'choice';
  options?: { id: string; label: Bilingual }[];
  required?: boolean;
}

/** What POST /api/consultations takes (a PATCH takes any part of it). */
export interface ConsultationInput {
  title: Bilingual;
  description: Bilingual;
  questions: ConsultationQuestion[];
  categories: { id: string; label: Bilingual }[];
  commentKinds: CommentKind[];
  layers: string[];
  area: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  /** ISO 8601 with an offset. */
  opensAt: string;
  closesAt: string;
  /** Origins that may frame /embed/{id}, e.g. https://www.example.gov.uk. */
  frameAncestors: string[];
  /** pre: nothing public until approved (the default); post: public at once, moderators take down. */
  moderation?: 'pre' | 'post';
}

export interface Consultation extends ConsultationInput {
  id: string;
  /** In the list, for the organisation's moderators. */
  queue?: { pending: number; rejected: number };
  organisation: string;
  state: 'scheduled' | 'open' | 'closed';
  responsesLayer: string | null;
  /** Approved responses, in all and per category id ("" for none); on GET of one consultation. */
  counts?: { approved: number; byCategory: Record<string, number> };
  links: { rel: string; href: string }[];
}

export interface ModerationAction {
  action: string;
  reason: string | null;
  actor: string;
  at: string;
}

/** A response as a moderator sees it: contact details and the trail come only to the organisation's moderators. */
export interface ConsultationResponse {
  id: number;
  kind: CommentKind;
  geometry: GeoJSON.Geometry | null;
  layer: string | null;
  featureId: string | null;
  comment: string;
  commentRedacted?: boolean;
  category: string | null;
  sentiment: string | null;
  answers: Record<string, string>;
  status?: ResponseStatus;
  statusReason?: string | null;
  createdAt: string;
  contact?: { name: string | null; email: string | null } | null;
  moderation?: ModerationAction[];
}

export interface Moderation {
  status?: 'approved' | 'rejected';
  reason?: string;
  redact?: { contact?: true; comment?: string };
}

export interface PortalLayer {
  slug: string;
  title: { en: string; cy: string | null };
  featureCount: number;
  updatedAt: string;
  currentVersion: { version: number; createdAt: string } | null;
  style?: { color?: string; outlineColor?: string; lineWidth?: number; circleRadius?: number; fillOpacity?: number };
}

export interface Version {
  version: number;
  current: boolean;
  featureCount: number;
  bbox: [number, number, number, number] | null;
  createdBy: string;
  createdAt: string;
  source: { kind?: string; format?: string; filename?: string; sourceKind?: string; url?: string };
}

export interface SourceStatus {
  layer: string;
  status: string;
  kind: string;
  url: string;
  lastSuccess: string | null;
  lastError: string | null;
}

export interface Health extends Omit<SourceStatus, 'layer' | 'kind' | 'url'> {
  source: { kind: string; url: string; schedule: string };
  harvests: { id: number; status: string; trigger: string; startedAt: string | null; queuedAt: string; message: string | null }[];
}

export interface UploadState {
  id: number;
  status: string;
  phase: string;
  bytesReceived: number;
  featuresRead: number;
}

export interface ReportProblem {
  severity: 'error' | 'repaired' | 'warning';
  code: string;
  message: string;
  index?: number;
  line?: number;
  id?: string | number;
  /** [lon, lat] of the problem, when it has a place. */
  at?: [number, number];
}

export interface UploadReport {
  totals: { errors: number; repaired: number; warnings: number };
  problems: ReportProblem[];
  truncated: boolean;
  featuresLoaded?: number;
}

export interface ServiceDescription {
  kind: string;
  url: string;
  title?: string;
  featureTypes: { id: string; title?: string; description?: string }[];
}

export interface HarvestState {
  status: string;
  pages: number;
  features: number;
  message: string | null;
}

export type VersionChanges = { comparable: true; added: number; removed: number; changed: number } | { comparable: false; since: number | null; reason: string };

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
