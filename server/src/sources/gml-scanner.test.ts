import { describe, expect, it } from 'vitest';
import { END, GmlScanner, START } from './gml-scanner';
import { XmlSafetyError } from './xml-safety';

/** Every step as "<name" with its attributes, or "/" with the text before it. */
function steps(xml: string): string[] {
  const s = new GmlScanner(xml);
  const out: string[] = [];
  for (let depth = 0; ; ) {
    if (s.step() === START) {
      depth++;
      out.push(`<${s.name}${s.attributes().map(([k, v]) => ` ${k}=${v}`).join('')}`);
    } else {
      out.push(`/${s.text()}`);
      if (--depth === 0) return out;
    }
  }
}

describe('GmlScanner', () => {
  it('steps through start, end and self-closing tags, decoding only the predefined entities and character references', () => {
    const xml = `<?xml version="1.0"?>\n<!-- c --><a:r xmlns:a="urn:a" k = 'x &amp; y&#33;'><b n="&lt;&foo;">1 &gt; 0 &eacute;</b><c/><d x="1" /></a:r>`;
    expect(steps(xml)).toEqual(['<a:r xmlns:a=urn:a k=x & y!', '<b n=<&foo;', '/1 > 0 &eacute;', '<c', '/', '<d x=1', '/', '/']);
  });

  it('leaves comments and PIs out of text and puts CDATA after it, as parseXmlSafely folds it', () => {
    const s = new GmlScanner('<r><v> 1 2<!-- x -->3 <?pi?>4 <![CDATA[ <&amp;> ]]> </v></r>');
    s.step();
    s.step();
    expect(s.step()).toBe(END);
    expect(s.text()).toBe('1 23 4 <&amp;> ');
    expect(s.rawText()).toBeUndefined();
  });

  it('joins the text around child elements of an element read as a leaf', () => {
    const s = new GmlScanner('<r><v>1 2 <x>9</x> 3</v></r>');
    s.step();
    s.step();
    s.leaf();
    expect(s.text()).toBe('1 23');
  });

  it('gives plain text as a range of the document, to read in place', () => {
    const s = new GmlScanner('<r><v>1.5 2</v></r>');
    s.step();
    s.step();
    s.step();
    const [from, to] = s.rawText()!;
    expect(s.xml.slice(from, to)).toBe('1.5 2');
  });

  it.each([
    ['a DOCTYPE inside the root', '<r><!DOCTYPE x [<!ENTITY e "boom">]><v>&e;</v></r>'],
    ['an ENTITY declaration inside the root', '<r><!ENTITY e "boom"><v>&e;</v></r>'],
    ['a DOCTYPE before the root', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r/>'],
  ])('refuses %s without reading on', (_what, xml) => {
    const read = () => {
      const s = new GmlScanner(xml);
      s.step();
      s.skip();
    };
    expect(read).toThrow(XmlSafetyError);
    expect(read).toThrow('document type declaration (DTD)');
  });

  it('reports malformed and cut-off documents in parseXmlSafely’s words', () => {
    const read = (xml: string) => () => {
      const s = new GmlScanner(xml);
      s.step();
      s.skip();
    };
    expect(read('<a>\n<b></c>\n</a>')).toThrow("The service sent malformed XML at line 2, column 4: Expected closing tag 'b'");
    expect(read('<a>\n<b>1</b>\n<c>')).toThrow("The service's XML ends before <a>, <c> are closed; the response looks cut off");
    expect(read('<!DOCTYPE html>\n<html><head><title>Oops</title></head></html>')).toThrow('The service sent an HTML page ("Oops") where XML was expected.');
    expect(read('')).toThrow('The service sent an empty response where XML was expected.');
  });

  it('refuses elements nested more than 100 deep', () => {
    const s = new GmlScanner(`${'<a>'.repeat(101)}${'</a>'.repeat(101)}`);
    expect(() => {
      for (let i = 0; i < 101; i++) s.step();
    }).toThrow(/XML/);
  });

  it('comes back to a mark inside an open element', () => {
    const s = new GmlScanner('<r><p><x/><y>2</y></p></r>');
    s.step();
    s.step();
    const mark = s.mark();
    s.skip();
    s.reset(mark);
    expect(s.step()).toBe(START);
    expect(s.name).toBe('x');
  });

  it('refuses content after the root element', () => {
    const s = new GmlScanner('<r/><r/>');
    s.step();
    s.step();
    expect(() => s.finish()).toThrow(/XML/);
  });
});
