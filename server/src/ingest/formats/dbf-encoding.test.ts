import { describe, expect, it } from 'vitest';
import { encodingFromCpg, encodingFromLanguageDriver } from './dbf-encoding';

describe('shapefile text encodings', () => {
  it('reads the ways .cpg files name encodings', () => {
    expect(['UTF-8', 'utf8', '65001'].map(encodingFromCpg)).toEqual(['utf-8', 'utf-8', 'utf-8']);
    expect(['1252', 'ANSI 1252', 'windows-1250'].map(encodingFromCpg)).toEqual(['windows-1252', 'windows-1252', 'windows-1250']);
    expect(['88591', 'ISO-8859-1', '8859-15', 'latin1'].map(encodingFromCpg)).toEqual(['iso-8859-1', 'iso-8859-1', 'iso-8859-15', 'iso-8859-1']);
  });

  it('refuses a .cpg naming an encoding it cannot decode', () => {
    expect(() => encodingFromCpg('EBCDIC-XYZ')).toThrow(/cannot read/);
  });

  it('falls back on the .dbf language driver, then Windows-1252', () => {
    expect(encodingFromLanguageDriver(0x57)).toBe('windows-1252');
    expect(encodingFromLanguageDriver(0xc9)).toBe('windows-1251');
    expect(encodingFromLanguageDriver(0x00)).toBe('windows-1252');
  });
});
