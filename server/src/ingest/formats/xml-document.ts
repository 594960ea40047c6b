import { stat, readFile } from 'node:fs/promises';
import { DOMParser, type Document } from '@xmldom/xmldom';
import { PayloadTooLargeError } from '../../platform/errors';
import { UploadUnreadableError } from '../feature-checker';

/** KML and GPX are read whole into a DOM, which takes several times the file's size; a candidate for config.ts. */
export const XML_MAX_BYTES = 100 * 1024 * 1024;

/** XML text from bytes: a UTF-16 byte order mark, else the XML declaration's encoding, else UTF-8. */
function decodeXml(bytes: Buffer, what: string): string {
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else {
    const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(bytes.subarray(0, 256).toString('latin1'));
    if (declared) encoding = declared[1]!.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new UploadUnreadableError(`The ${what} declares the encoding "${encoding}", which we cannot read; save it as UTF-8.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new UploadUnreadableError(`The ${what} is not valid ${encoding} text; save it as UTF-8.`);
  }
}

/** Comments, processing instructions and space before the root element (or a DOCTYPE). */
const PROLOG = /^\uFEFF?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;

/**
 * Parses a KML or GPX file into a DOM with xmldom. A DOCTYPE is refused before parsing: DTDs and
 * entity declarations are how "billion laughs" documents expand without end, and neither format
 * needs them. xmldom expands no entities of its own beyond the XML five, so any other is an error.
 */
export async function readXmlFile(path: string, what: string): Promise<Document> {
  const { size } = await stat(path);
  if (size > XML_MAX_BYTES) {
    throw new PayloadTooLargeError(`${what} files are read whole, and this one is larger than ${XML_MAX_BYTES} bytes; split it, or send GeoJSON.`);
  }
  const text = decodeXml(await readFile(path), what);
  const rest = text.slice(PROLOG.exec(text)![0].length);
  if (/^<!DOCTYPE/i.test(rest)) {
    throw new UploadUnreadableError(`The ${what} has a DOCTYPE declaration; we do not read DTDs or entity declarations (they can expand without end), so remove it and upload again.`);
  }
  let first: string | undefined;
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level === 'warning') return;
      first ??= message.replace(/^\[xmldom [a-zA-Z]+\]\s*/, '').split('\n')[0];
      throw new Error(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (err) {
    throw new UploadUnreadableError(`The ${what} is not well-formed XML: ${first ?? (err as Error).message}.`);
  }
  return doc;
}

/** The line an element starts on, as xmldom's locator recorded it. */
export const lineOf = (node: { lineNumber?: number }) => node.lineNumber;
