import { csvLine } from '../downloads/csv';
import type { Consultation } from './consultation';
import type { ModerationAction, StoredResponse } from './response-repository';

export type ExportedResponse = StoredResponse & { contact: { name: string | null; email: string | null } | null; moderation: ModerationAction[] };

const trail = (actions: ModerationAction[]) => actions.map((a) => `${new Date(a.at).toISOString()} ${a.actor} ${a.action}${a.reason ? `: ${a.reason}` : ''}`).join('; ');

const inert = (v: string | null | undefined) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const CSV_COLUMNS = ['id', 'created_at', 'status', 'status_reason', 'kind', 'layer', 'layer_version', 'feature_id', 'category', 'sentiment', 'comment', 'comment_redacted', 'answers', 'lang', 'geometry_wkt_or_geojson', 'name', 'email', 'moderation'];

/**
 * Every response with its status and moderation trail, for the organisation's moderators. Contact
 * details are included only when asked for (`contacts=true`), so an export passed around does not
 * carry them by default. The CSV's geometry is GeoJSON text (one column, any shape). What citizens
 * wrote is kept from being read as a spreadsheet formula (a leading =, +, -, @ gets a ').
 */
export function responsesCsv(list: ExportedResponse[], withContacts: boolean): string {
  const lines = [csvLine(CSV_COLUMNS)];
  for (const r of list) {
    lines.push(
      csvLine([
        r.id,
        new Date(r.createdAt).toISOString(),
        r.status,
        inert(r.statusReason),
        r.kind,
        r.layer,
        r.layerVersion,
        r.featureId,
        r.category,
        r.sentiment,
        inert(r.comment),
        r.commentRedacted,
        JSON.stringify(r.answers),
        r.lang,
        JSON.stringify(r.geometry),
        withContacts ? inert(r.contact?.name) : null,
        withContacts ? inert(r.contact?.email) : null,
        trail(r.moderation),
      ]),
    );
  }
  return lines.join('');
}

export function responsesGeoJson(c: Consultation, list: ExportedResponse[], withContacts: boolean) {
  return {
    type: 'FeatureCollection',
    consultation: { id: c.id, title: c.title, organisation: c.organisationId },
    features: list.map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry: r.geometry,
      properties: {
        createdAt: r.createdAt,
        status: r.status,
        statusReason: r.statusReason,
        kind: r.kind,
        layer: r.layer,
        layerVersion: r.layerVersion,
        featureId: r.featureId,
        category: r.category,
        sentiment: r.sentiment,
        comment: r.comment,
        commentRedacted: r.commentRedacted,
        answers: r.answers,
        lang: r.lang,
        ...(withContacts ? { contact: r.contact } : {}),
        moderation: r.moderation,
      },
    })),
  };
}
