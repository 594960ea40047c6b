const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
};

/**
 * A date, and optionally its time, as people in Wales read it ("28 Tachwedd 2026 am 16:58") in
 * Welsh or English, in UK time whatever the browser's zone. Months are named here: browsers
 * without Welsh locale data (Chromium's own build among them) would say them in English.
 */
export function formatDateIn(lang: 'en' | 'cy', iso: string, withTime: boolean): string {
  const parts = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${Number(part('day'))} ${MONTHS[lang][Number(part('month')) - 1]} ${part('year')}`;
  return withTime ? `${date} ${lang === 'cy' ? 'am' : 'at'} ${part('hour')}:${part('minute')}` : date;
}
