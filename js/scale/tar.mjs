// tar.mjs - tar archives of a session's files (export/import): POSIX ustar,
// with PAX extended headers for names over 100 bytes, link targets over 100
// bytes and sizes of 8 GiB or more. The reader also takes GNU long names
// ('L', 'K') and hard links (as copies of the earlier file), as GNU tar
// writes them; other entry types (devices, FIFOs) are skipped.
//
// An entry is {path, type: 'file'|'directory'|'symlink', mode, mtimeMs,
// data (file), target (symlink)}; paths are relative ("dir/a.txt").

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TarError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TarError';
    this.code = 'WASMSH_BAD_ARCHIVE';
  }
}

function writeString(h, off, len, s) {
  const b = encoder.encode(s);
  h.set(b.subarray(0, len), off);
}

function writeOctal(h, off, len, v) {
  // len-1 octal digits and a NUL
  const s = Math.floor(v).toString(8).padStart(len - 1, '0');
  writeString(h, off, len, `${s}\0`);
}

function paxRecord(key, value) {
  // "LEN key=value\n" where LEN counts itself
  const body = ` ${key}=${value}\n`;
  const bodyLen = encoder.encode(body).length;
  let len = bodyLen + String(bodyLen).length;
  if (String(len).length !== String(len - bodyLen).length) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

function header({ name, mode, size, mtime, type, linkname = '' }) {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  h[156] = type.charCodeAt(0);
  writeString(h, 157, 100, linkname);
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'user');
  writeString(h, 297, 32, 'user');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

const fits = (s, n) => encoder.encode(s).length <= n && !/[^\x20-\x7e]/.test(s);

/** Builds an archive from entries; returns a Uint8Array. */
export function packTar(entries) {
  const parts = [];
  let total = 0;
  const push = (b) => { parts.push(b); total += b.length; };
  const pad = (n) => { const r = n % BLOCK; if (r) push(new Uint8Array(BLOCK - r)); };
  for (const e of entries) {
    const type = e.type === 'directory' ? '5' : e.type === 'symlink' ? '2' : '0';
    let name = e.type === 'directory' && !e.path.endsWith('/') ? `${e.path}/` : e.path;
    const data = e.type === 'file' ? e.data : null;
    const size = data ? data.length : 0;
    const mtime = Math.floor((e.mtimeMs || 0) / 1000);
    const linkname = e.type === 'symlink' ? e.target : '';
    let pax = '';
    if (!fits(name, 100)) pax += paxRecord('path', name);
    if (!fits(linkname, 100)) pax += paxRecord('linkpath', linkname);
    if (size >= 0o77777777777) pax += paxRecord('size', String(size));
    if (pax) {
      const body = encoder.encode(pax);
      push(header({ name: 'PaxHeaders/entry', mode: 0o644, size: body.length, mtime, type: 'x' }));
      push(body);
      pad(body.length);
      name = name.replace(/[^\x20-\x7e]/g, '_').slice(0, 99);
    }
    push(header({ name, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644), size: size >= 0o77777777777 ? 0 : size,
      mtime, type, linkname: fits(linkname, 100) ? linkname : '' }));
    if (data) {
      push(data);
      pad(size);
    }
  }
  push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function readString(b, off, len) {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return decoder.decode(b.subarray(off, end));
}

function readOctal(b, off, len) {
  if (b[off] & 0x80) {
    // GNU base-256 for big numbers
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + b[i];
    return v;
  }
  const s = readString(b, off, len).trim();
  if (!s) return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`bad number field "${s}" in a tar header`);
  return parseInt(s, 8);
}

function parsePax(text) {
  const out = {};
  let at = 0;
  while (at < text.length) {
    const sp = text.indexOf(' ', at);
    if (sp < 0) break;
    const len = parseInt(text.slice(at, sp), 10);
    if (!(len > 0)) throw new TarError('bad PAX header record');
    const rec = text.slice(sp + 1, at + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    at += len;
  }
  return out;
}

/** Reads an archive (Uint8Array) into entries. Bad archives throw TarError. */
export function unpackTar(bytes, { maxEntries = 100000 } = {}) {
  const entries = [];
  const byPath = new Map();
  let at = 0;
  let pax = {};
  let longName = null;
  let longLink = null;
  while (at + BLOCK <= bytes.length) {
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((x) => x === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== readOctal(h, 148, 8)) throw new TarError(`bad tar header checksum at byte ${at}`);
    const type = String.fromCharCode(h[156] || 0x30);
    let size = readOctal(h, 124, 12);
    if (pax.size !== undefined) size = Number(pax.size);
    const dataStart = at + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > bytes.length) throw new TarError('the tar archive is truncated');
    const data = bytes.subarray(dataStart, dataEnd);
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') { pax = { ...pax, ...parsePax(decoder.decode(data)) }; continue; }
    if (type === 'g') continue;
    if (type === 'L') { longName = readString(data, 0, data.length); continue; }
    if (type === 'K') { longLink = readString(data, 0, data.length); continue; }
    const prefix = readString(h, 345, 155);
    let name = pax.path ?? longName ?? (prefix ? `${prefix}/${readString(h, 0, 100)}` : readString(h, 0, 100));
    const link = pax.linkpath ?? longLink ?? readString(h, 157, 100);
    const mtimeMs = (pax.mtime !== undefined ? Number(pax.mtime) : readOctal(h, 136, 12)) * 1000;
    const mode = readOctal(h, 100, 8) & 0o7777;
    pax = {};
    longName = null;
    longLink = null;
    name = name.replace(/\/+$/, '');
    if (!name || name === '.') continue;
    let e = null;
    if (type === '0' || type === '7') e = { path: name, type: 'file', mode, mtimeMs, data };
    else if (type === '5') e = { path: name, type: 'directory', mode, mtimeMs };
    else if (type === '2') e = { path: name, type: 'symlink', mode, mtimeMs, target: link };
    else if (type === '1') {
      const src = byPath.get(link.replace(/\/+$/, ''));
      if (src && src.type === 'file') e = { path: name, type: 'file', mode: src.mode, mtimeMs, data: src.data };
    }
    if (!e) continue;
    entries.push(e);
    byPath.set(name, e);
    if (entries.length > maxEntries) throw new TarError(`the archive has more than ${maxEntries} entries`);
  }
  return entries;
}
