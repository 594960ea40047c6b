import { UploadUnreadableError } from '../feature-checker';

/** Windows code pages by number, as .cpg files and ESRI name them ("1252", "ANSI 1252"). */
const CODE_PAGES: Record<string, string> = {
  '874': 'windows-874',
  '932': 'shift_jis',
  '936': 'gbk',
  '949': 'euc-kr',
  '950': 'big5',
  '866': 'ibm866',
  '65001': 'utf-8',
  '28591': 'iso-8859-1',
  '28605': 'iso-8859-15',
};

/**
 * dBASE language driver ids (byte 29 of the .dbf header) that name an encoding we can decode.
 * DOS code pages (437, 850…) have no WHATWG decoder; their letters match Windows-1252 for ASCII only.
 */
const LANGUAGE_DRIVERS: Record<number, string> = {
  0x03: 'windows-1252',
  0x57: 'windows-1252',
  0x58: 'windows-1252',
  0x59: 'windows-1252',
  0x13: 'shift_jis',
  0x4d: 'gbk',
  0x4e: 'euc-kr',
  0x4f: 'big5',
  0x65: 'ibm866',
  0x7b: 'shift_jis',
  0x7c: 'windows-874',
  0x7d: 'windows-1255',
  0x7e: 'windows-1256',
  0xc8: 'windows-1250',
  0xc9: 'windows-1251',
  0xca: 'windows-1254',
  0xcb: 'windows-1253',
};

const decodable = (label: string) => {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
};

/** The encoding a .cpg names: "UTF-8", "1252", "ANSI 1252", "88591", "ISO-8859-1", "windows-1250"… */
export function encodingFromCpg(text: string): string {
  const raw = text.trim();
  const s = raw.toUpperCase().replace(/^ANSI\s*/, '');
  const iso8859 = /^(?:ISO[-_ ]?)?8859[-_]?(\d{1,2})$/.exec(s);
  let label: string | undefined;
  if (/^UTF-?8$/.test(s)) label = 'utf-8';
  else if (/^(CP|WINDOWS-?)?125\d$/.test(s)) label = `windows-${s.slice(-4)}`;
  else if (CODE_PAGES[s]) label = CODE_PAGES[s];
  else if (iso8859) label = `iso-8859-${iso8859[1]}`;
  else if (/^(LATIN-?1|L1)$/.test(s)) label = 'iso-8859-1';
  else label = raw.toLowerCase();
  if (!decodable(label)) {
    throw new UploadUnreadableError(`The .cpg names the text encoding "${raw.slice(0, 40)}", which we cannot read; save the shapefile as UTF-8 or Windows-1252.`);
  }
  return label;
}

/** The encoding a .dbf's language driver byte implies; Latin-1 (as Windows-1252) when it names none we know. */
export function encodingFromLanguageDriver(ldid: number): string {
  return LANGUAGE_DRIVERS[ldid] ?? 'windows-1252';
}
