/**
 * `prefix + parts.join(separator) + suffix` as UTF-8 bytes, written straight into one buffer of the exact
 * size. A page of features arrives as one string per row; joining them and letting Node count and
 * encode the result walks the text three more times (measured on a 690 KB page of 1,000 lines:
 * join, count and encode 1.3–1.8 ms, this 0.35 ms). The response then needs no length count either.
 */
export function joinedBody(prefix: string, parts: readonly string[], suffix: string, separator = ','): Buffer {
  const gap = Buffer.from(separator);
  let size = Buffer.byteLength(prefix) + Buffer.byteLength(suffix) + gap.length * Math.max(0, parts.length - 1);
  for (const part of parts) size += Buffer.byteLength(part);
  const body = Buffer.allocUnsafe(size);
  let at = body.write(prefix);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) at += gap.copy(body, at);
    at += body.write(parts[i]!, at);
  }
  at += body.write(suffix, at);
  if (at !== size) throw new Error(`joinedBody wrote ${at} of ${size} bytes`);
  return body;
}
