/** Text for HTML: every value from data passes through here, so a property can never become markup. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A plain, accessible page around already-escaped body HTML. */
export function htmlPage(title: string, body: string, jsonHref: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Haenau</title>
<link rel="alternate" type="application/json" href="${escapeHtml(jsonHref)}">
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem;color:#0b0c0c}table{border-collapse:collapse}th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left;vertical-align:top}a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0}</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
<p><a href="${escapeHtml(jsonHref)}">This page as JSON</a></p>
</main></body></html>`;
}
