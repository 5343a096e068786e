import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { deflateRawSync } from "node:zlib";

/** A Lambda deployment package written from one bundle file. */
export interface BundleArchive {
  /** Path of the zip. */
  readonly path: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256 and `source_code_hash` expects. */
  readonly sha256: string;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Zips one file (the esbuild bundle) as `entryName` into `zipPath`, deterministically: fixed
 * timestamp and permissions, so the same bundle always gives the same bytes and hash, and only a
 * changed bundle changes `source_code_hash`. Rewrites the zip only when the bundle is newer.
 *
 * (cdktf's own ARCHIVE assets zip by re-running the current script in a child process, which does
 * not work once the app itself is bundled by esbuild, as scripts/synth.mjs does.)
 */
export function writeBundleArchive(
  bundleFile: string,
  zipPath: string,
  entryName = basename(bundleFile),
): BundleArchive {
  if (!existsSync(zipPath) || statSync(zipPath).mtimeMs < statSync(bundleFile).mtimeMs) {
    mkdirSync(dirname(zipPath), { recursive: true });
    writeFileSync(zipPath, zipOf(new Uint8Array(readFileSync(bundleFile)), entryName));
  }
  return {
    path: zipPath,
    sha256: createHash("sha256")
      .update(new Uint8Array(readFileSync(zipPath)))
      .digest("base64"),
  };
}

/** One file as a deterministic zip (fixed 1980-01-01 time, Unix rw-r--r--): the same bytes in give the same zip out. */
function zipOf(data: Uint8Array, entryName: string): Uint8Array {
  const compressed = new Uint8Array(deflateRawSync(data, { level: 9 }));
  const name = new TextEncoder().encode(entryName);
  const crc = crc32(data);
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

  const localSize = 30 + name.length;
  const centralOffset = localSize + compressed.length;
  const centralSize = 46 + name.length;
  const out = new Uint8Array(centralOffset + centralSize + 22);
  const v = new DataView(out.buffer);
  // Local file header.
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(8, 8, true); // deflate
  v.setUint16(10, DOS_TIME, true);
  v.setUint16(12, DOS_DATE, true);
  v.setUint32(14, crc, true);
  v.setUint32(18, compressed.length, true);
  v.setUint32(22, data.length, true);
  v.setUint16(26, name.length, true);
  out.set(name, 30);
  out.set(compressed, localSize);
  // Central directory header.
  const c = centralOffset;
  v.setUint32(c, 0x02014b50, true);
  v.setUint16(c + 4, (3 << 8) | 20, true); // made by Unix, zip 2.0
  v.setUint16(c + 6, 20, true);
  v.setUint16(c + 10, 8, true);
  v.setUint16(c + 12, DOS_TIME, true);
  v.setUint16(c + 14, DOS_DATE, true);
  v.setUint32(c + 16, crc, true);
  v.setUint32(c + 20, compressed.length, true);
  v.setUint32(c + 24, data.length, true);
  v.setUint16(c + 28, name.length, true);
  v.setUint32(c + 38, (0o100644 << 16) >>> 0, true); // regular file, rw-r--r--
  v.setUint32(c + 42, 0, true); // offset of the local header
  out.set(name, c + 46);
  // End of central directory.
  const e = c + centralSize;
  v.setUint32(e, 0x06054b50, true);
  v.setUint16(e + 8, 1, true);
  v.setUint16(e + 10, 1, true);
  v.setUint32(e + 12, centralSize, true);
  v.setUint32(e + 16, centralOffset, true);

  return out;
}
