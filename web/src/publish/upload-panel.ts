import { h } from '../dom';
import { errorSummary, field, form } from './form-fields';
import { portalApi, type UploadReport } from './portal-api';
import { pt } from './portal-i18n';
import { reportView } from './report-view';

const TYPES: Record<string, string> = {
  geojson: 'application/geo+json',
  json: 'application/geo+json',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
  zip: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
  kml: 'application/vnd.google-earth.kml+xml',
  kmz: 'application/vnd.google-earth.kmz',
  gpx: 'application/gpx+xml',
  csv: 'text/csv',
};

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Upload a file with a real progress bar: bytes sent (XHR upload events), then features checked
 * and loaded (the upload's progress, polled), then the validation report; the upload is only
 * checked (stage=true), and the officer publishes or discards it after reading the report.
 */
export function uploadPanel(slug: string, onPublished: () => Promise<void>): HTMLElement {
  const m = pt();
  const file = h('input', { class: 'govuk-file-upload', type: 'file', name: 'file', accept: Object.keys(TYPES).map((e) => `.${e}`).join(',') });
  const bar = h('progress', { max: '1', value: '0', hidden: true, 'data-testid': 'upload-progress' });
  const progressText = h('p', { class: 'govuk-body', 'aria-live': 'polite', 'data-testid': 'upload-progress-text' });
  const outcome = h('div', { 'data-testid': 'upload-outcome' });
  const errors = errorSummary();
  const button = h('button', { class: 'govuk-button', type: 'submit' }, m.uploadButton);

  const send = (f: File) => {
    const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/layers/${encodeURIComponent(slug)}/data?stage=true&filename=${encodeURIComponent(f.name)}`);
    xhr.setRequestHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    xhr.setRequestHeader('X-CSRF-Token', portalApi.csrf() ?? '');
    xhr.setRequestHeader('Accept', 'application/json');
    bar.hidden = false;
    button.setAttribute('disabled', '');
    let polling: ReturnType<typeof setInterval> | undefined;
    xhr.upload.onprogress = (e) => {
      bar.max = e.total || f.size;
      bar.value = e.loaded;
      progressText.textContent = m.sending(megabytes(e.loaded), megabytes(e.total || f.size));
    };
    // Every byte is sent: the server is checking and loading; its progress is read from the upload record.
    xhr.upload.onload = () => {
      bar.removeAttribute('value');
      polling = setInterval(() => {
        void portalApi.latestUpload(slug).then((u) => {
          if (u && u.status === 'running') progressText.textContent = m.loading(u.featuresRead.toLocaleString());
        });
      }, 500);
    };
    xhr.onloadend = () => {
      clearInterval(polling);
      bar.hidden = true;
      button.removeAttribute('disabled');
      let body: { upload?: number; featureCount?: number; report?: UploadReport; detail?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status === 200 && body.upload !== undefined) {
        progressText.textContent = m.checked((body.featureCount ?? 0).toLocaleString());
        outcome.replaceChildren(...(body.report && body.report.problems.length > 0 ? [reportView(body.report)] : []), decide(body.upload));
      } else {
        progressText.textContent = m.refused;
        errors.show(m.errorSummary, [{ message: body.detail ?? m.failed }]);
        outcome.replaceChildren(...(body.report ? [reportView(body.report)] : []));
      }
    };
    xhr.send(f);
  };

  /** Publish or discard the checked upload; either way the buttons go. */
  const decide = (upload: number) => {
    const act = (run: () => Promise<unknown>, done: (result: unknown) => Promise<void> | void) => {
      for (const b of buttons.querySelectorAll('button')) b.setAttribute('disabled', '');
      void run().then(
        async (result) => {
          buttons.remove();
          await done(result);
        },
        (err: Error) => {
          for (const b of buttons.querySelectorAll('button')) b.removeAttribute('disabled');
          errors.show(m.errorSummary, [{ message: err.message || m.failed }]);
        },
      );
    };
    const buttons = h(
      'div',
      { class: 'govuk-button-group' },
      h('button', { class: 'govuk-button', type: 'button', 'data-testid': 'publish-upload', on: { click: () => act(() => portalApi.publishUpload(slug, upload), async (r) => {
        const { version, featureCount } = r as { version: number; featureCount: number };
        // Said once the page shows the new version, so what is announced is what is on screen.
        await onPublished().catch(() => {});
        progressText.textContent = m.published(version, featureCount.toLocaleString());
      }) } }, m.publishChecked),
      h('button', { class: 'govuk-button govuk-button--warning', type: 'button', 'data-testid': 'discard-upload', on: { click: () => act(() => portalApi.discardUpload(slug, upload), () => {
        outcome.replaceChildren();
        progressText.textContent = m.discarded;
      }) } }, m.discardChecked),
    );
    return buttons;
  };

  const uploadForm = form(
    () => {
      errors.hide();
      const f = file.files?.[0];
      if (!f) return errors.show(m.errorSummary, [{ message: m.chooseFileFirst, field: file }]);
      send(f);
    },
    field(m.chooseFile, file, m.uploadHint),
    button,
  );
  return h('section', { 'aria-labelledby': `upload-${slug}` }, errors.el, h('h2', { class: 'govuk-heading-m', id: `upload-${slug}` }, m.uploadHeading), uploadForm, bar, progressText, outcome);
}
