import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";

/**
 * Sits between the file and csv-parse: hashes every byte (the run records the input's checksum) and stops at
 * the first NUL or invalid UTF-8, since csv-parse would turn a UTF-16 or binary file into garbage rows, and a
 * garbage row can become a request. A character split across chunks waits for the next one; otherwise chunks
 * pass through undecoded and uncopied.
 */
export class ByteGuard extends Transform {
  readonly #hash = createHash("sha256");
  readonly #onBadData: (offset: number) => Promise<Error>;
  #carry: Buffer | undefined;
  /** Absolute file offset of the first byte of the next piece to validate. */
  #offset = 0;
  #digest: string | undefined;

  /** `onBadData` turns the absolute offset of the first bad byte into the error to fail with. */
  constructor(onBadData: (offset: number) => Promise<Error>) {
    super();
    this.#onBadData = onBadData;
  }

  /** sha256 hex of all bytes, once the last chunk went through. */
  get digest(): string | undefined {
    return this.#digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    const joined = this.#carry === undefined ? chunk : Buffer.concat([this.#carry, chunk]);
    const cut = incompleteTailStart(joined);
    const piece = joined.subarray(0, cut);
    this.#carry = cut < joined.length ? joined.subarray(cut) : undefined;
    this.#check(piece, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#carry !== undefined) {
      // The file ends inside a multi-byte character.
      this.#fail(this.#offset, callback);
      return;
    }
    this.#digest = this.#hash.digest("hex");
    callback();
  }

  #check(piece: Buffer, callback: TransformCallback): void {
    const bad = firstBadByte(piece);
    if (bad >= 0) {
      this.#fail(this.#offset + bad, callback);
      return;
    }
    this.#offset += piece.length;
    callback(null, piece.length > 0 ? piece : undefined);
  }

  #fail(offset: number, callback: TransformCallback): void {
    this.#onBadData(offset).then(callback, callback);
  }
}

/** Offset of the first NUL byte or invalid UTF-8 sequence in a piece of whole characters; -1 when clean. */
export function firstBadByte(piece: Buffer): number {
  const nul = piece.indexOf(0);
  // isUtf8 is native and fast; the byte-by-byte walk only runs to locate a problem already known to exist.
  if (isUtf8(piece)) return nul;
  const invalid = firstInvalidUtf8(piece);
  return nul >= 0 && nul < invalid ? nul : invalid;
}

/**
 * Where a trailing, possibly incomplete multi-byte character starts (buffer length when there is none).
 * Looks back at most 3 bytes: UTF-8 characters are at most 4 bytes long.
 */
export function incompleteTailStart(buffer: Buffer): number {
  const length = buffer.length;
  for (let back = 1; back <= Math.min(3, length); back++) {
    const byte = buffer[length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
}

/** Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF); -1 when valid. */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min = 0x80;
    let max = 0xbf; // allowed range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) min = 0xa0;
      if (lead === 0xed) max = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) min = 0x90;
      if (lead === 0xf4) max = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1] ?? 0;
    if (second < min || second > max) return i;
    for (let k = 2; k < length; k++) {
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}

/** 1-based line of a byte offset: one plus the "\n" bytes before it. Reads the file again; error path only. */
export async function lineAtOffset(path: string, offset: number): Promise<number> {
  let line = 1;
  if (offset === 0) return line;
  for await (const chunk of createReadStream(path, { start: 0, end: offset - 1 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) line++;
  }
  return line;
}
