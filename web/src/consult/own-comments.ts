import { h, replaceChildren } from '../dom';
import { consultApi } from './consult-api';
import { ct, formatWhen } from './consult-i18n';

interface Receipt {
  id: string;
  receipt: string;
}

const TAG: Record<string, string> = { pending: 'govuk-tag--yellow', approved: 'govuk-tag--green', rejected: 'govuk-tag--red' };

/** Receipts are kept per consultation in this browser; a browser that refuses storage (some framed contexts) just keeps none. */
function readReceipts(key: string): Receipt[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(list) ? list.filter((r): r is Receipt => typeof r?.id === 'string' && typeof r?.receipt === 'string') : [];
  } catch {
    return [];
  }
}

function writeReceipts(key: string, list: Receipt[]): boolean {
  try {
    localStorage.setItem(key, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

/**
 * "Your comments": what this browser sent, each with its moderation status read with the receipt
 * the server gave (the only way to see a response that is not published).
 */
export class OwnComments {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'own-heading', 'data-testid': 'own-comments', hidden: true });
  private readonly key: string;

  constructor(private readonly consultation: string) {
    this.key = `haenau:consultation:${consultation}:responses`;
  }

  add(r: Receipt): void {
    writeReceipts(this.key, [...readReceipts(this.key).filter((x) => x.id !== r.id), r]);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const receipts = readReceipts(this.key);
    if (!receipts.length) return;
    const seen = await Promise.all(receipts.map((r) => consultApi.own(this.consultation, r.id, r.receipt).catch(() => null)));
    const m = ct();
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'own-heading' }, m.yourHeading),
      h('p', { class: 'govuk-hint' }, m.yourHint),
      h(
        'ul',
        { class: 'govuk-list app-consult__comments' },
        ...seen.reverse().map((r, i) =>
          h(
            'li',
            { class: 'app-comment app-comment--own', 'data-response': receipts[receipts.length - 1 - i]!.id, 'data-status': r?.status ?? 'unknown' },
            h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, h('strong', { class: `govuk-tag ${TAG[r?.status ?? ''] ?? 'govuk-tag--grey'}` }, r ? (m.statuses[r.status] ?? r.status) : m.statusUnknown)),
            r ? h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, formatWhen(r.createdAt)) : null,
            r ? h('p', { class: 'govuk-body app-comment__text govuk-!-margin-bottom-0' }, r.comment) : null,
          ),
        ),
      ),
    );
    this.el.hidden = false;
  }
}
