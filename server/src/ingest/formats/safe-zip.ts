import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { UploadUnreadableError } from '../feature-checker';

const MiB = 1024 * 1024;

/** What an uploaded archive may unpack to. Candidates for config.ts limits. */
export const ZIP_LIMITS = {
  /** Most entries (files and folders) in one archive. */
  maxEntries: 10_000,
  /** Most bytes all entries together may unpack to. */
  maxTotalBytes: 4096 * MiB,
  /** Largest compression ratio of an entry over `ratioCheckedAbove` bytes; deflate tops out near 1032:1, real data rarely passes 50:1. */
  maxRatio: 200,
  ratioCheckedAbove: 10 * MiB,
};

export interface ZipMember {
  /** Path inside the archive, with "/" separators, checked to stay inside it. */
  name: string;
  size: number;
  entry: yauzl.Entry;
}

/**
 * An uploaded zip archive, checked before anything is unpacked: entry names that would escape the
 * archive (absolute, "..", drive letters), too many entries, too much unpacked data, or an entry
 * compressed beyond any real data (a zip bomb) refuse the whole upload. Sizes are read from the
 * central directory and yauzl checks each entry really unpacks to its stated size.
 */
export class SafeZip {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    /** Files in the archive, without folders and macOS resource forks. */
    readonly members: ZipMember[],
  ) {}

  static async open(file: string, what: string, limits = ZIP_LIMITS): Promise<SafeZip> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(file, { autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false });
    } catch (err) {
      throw new UploadUnreadableError(`The upload is not a zip archive we can read (${(err as Error).message}); send ${what} as a .zip file.`);
    }
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new UploadUnreadableError(`The archive holds ${zip.entryCount} entries, more than the ${limits.maxEntries} we unpack.`);
      }
      const members: ZipMember[] = [];
      let total = 0;
      for await (const entry of zip.eachEntry()) {
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
        if (yauzl.validateFileName(name) !== null) {
          throw new UploadUnreadableError(`The archive's entry "${name.slice(0, 200)}" points outside the archive (an absolute path or ".."), so nothing was unpacked.`);
        }
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) {
          throw new UploadUnreadableError(`The archive unpacks to more than ${limits.maxTotalBytes} bytes, the most we accept.`);
        }
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > limits.ratioCheckedAbove && ratio > limits.maxRatio) {
          throw new UploadUnreadableError(
            `The archive's entry "${name}" unpacks ${Math.round(ratio)} times larger than it is packed (${entry.uncompressedSize} bytes); no real data compresses like that, so it was refused as a zip bomb.`,
          );
        }
        if (name.endsWith('/') || name.startsWith('__MACOSX/') || basename(name).startsWith('._')) continue;
        members.push({ name, size: entry.uncompressedSize, entry });
      }
      return new SafeZip(zip, members);
    } catch (err) {
      zip.close();
      if (err instanceof UploadUnreadableError) throw err;
      throw new UploadUnreadableError(`The zip archive is damaged (${(err as Error).message}).`);
    }
  }

  /** Unpacks one member to `dest` (a path we chose, never the member's own name). */
  async extract(member: ZipMember, dest: string): Promise<void> {
    const { entry, name } = member;
    if (entry.isEncrypted()) throw new UploadUnreadableError(`The archive's entry "${name}" is encrypted; send it without a password.`);
    if (!entry.canDecodeFileData()) {
      throw new UploadUnreadableError(`The archive's entry "${name}" uses a compression method we cannot unpack (${entry.compressionMethod}); use ordinary deflate.`);
    }
    let unpacked = 0;
    // yauzl already stops an entry that outgrows its stated size; this also bounds one that lies about nothing.
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        unpacked += chunk.length;
        if (unpacked > member.size) done(new UploadUnreadableError(`The archive's entry "${name}" holds more data than its header says; it was refused as a zip bomb.`));
        else done(null, chunk);
      },
    });
    let readError: Error | undefined;
    const source = await this.zip.openReadStreamPromise(entry);
    source.on('error', (e: Error) => (readError ??= e));
    try {
      await pipeline(source, limit, createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      if (err instanceof UploadUnreadableError) throw err;
      if (readError) {
        const lied = /too many bytes|too few bytes/i.test(readError.message);
        throw new UploadUnreadableError(
          lied
            ? `The archive's entry "${name}" unpacks to a different size than its header says; it was refused as a damaged archive or zip bomb.`
            : `The archive's entry "${name}" could not be unpacked (${readError.message}).`,
        );
      }
      throw err;
    }
  }

  close(): void {
    this.zip.close();
  }
}

export const basename = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** The lower-case extension of a member's name, without the dot ("" when it has none). */
export const extensionOf = (name: string) => {
  const base = basename(name);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
};
