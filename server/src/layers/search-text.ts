/** Lower-case, accents folded (ŵ → w, â → a), so "Ysgolion Cymraeg" matches "ysgolion" and "ysgol" matches "Ysgôl". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The text the catalogue searches for one layer: both languages' title, description and keywords. */
export function layerSearchText(parts: Array<string | null | undefined>): string {
  return foldForSearch(parts.filter((p): p is string => Boolean(p)).join(' \n '));
}

/** Query words, folded; quotes and wildcards carry no meaning. */
export function searchTerms(q: string): string[] {
  return foldForSearch(q)
    .split(/[\s,;]+/)
    .map((t) => t.replace(/[%_\\"']/g, ''))
    .filter((t) => t.length > 0)
    .slice(0, 10);
}
