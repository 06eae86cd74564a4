// fs_tools.mjs - deepagents' ls, read, grep and glob answered from the
// filesystem directly instead of through execute().
//
// deepagents' BaseSandbox builds these tools on shell commands (`find -L ...
// -printf`, `awk`, `grep -rHnF`, `find ... -exec grep`) and parses their
// output. The functions here walk the filesystem the way those commands do
// (readdir order, find's path joining, -L's stat-then-lstat, find's loop
// check, grep's binary and UTF-8 rules), write the lines the commands
// would print, and parse them the way the base class does, so that the
// results agree with the base class's (test/agents/ts/agree.test.mjs checks
// it) including its quirks (the trimmed output, ':' in names). Differences:
// the results are never cut by execute()'s output limit, and a file with a
// NUL byte is binary as a whole for grep (GNU decides per buffer).
//
// Each function returns null when it declines a case it does not reproduce
// (glob metacharacters in a starting path that find would read as a
// pattern, a grep pattern with a newline, a bracket expression it does not
// know): the caller then uses the base class.
//
// They read through an adapter (see inProcessAdapter and apiAdapter):
//   readdir(p) -> names without . and .., in the order to walk
//   stat(p)    -> {kind: 'f'|'d'|'l'|'c'|'b'|'p'|'s', size, mtimeMs, dev, ino}, following symlinks
//   lstat(p)   -> the same for the link itself
//   readFile(p) -> Uint8Array
// each may return a promise; failures throw an object with `errno` ('ENOENT', ...).

// deepagents' own rules (its browser build does not export these helpers)

/** A read window as whole non-negative numbers (deepagents' normalizeReadPagination). */
function normalizeReadPagination(offset, limit) {
  return {
    offset: Number.isFinite(offset) ? Math.max(0, Math.floor(offset)) : 0,
    limit: Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0,
  };
}

/** At most maxCount matches, marked truncated when cut (deepagents' applyGrepMaxCount). */
function applyGrepMaxCount({ result, maxCount }) {
  if (maxCount == null || result.matches == null || result.matches.length <= maxCount) return result;
  return { error: result.error, matches: result.matches.slice(0, maxCount), truncated: true };
}

// ------------------------------------------------------------------ MIME types

// deepagents' MIME table: the extensions whose type is not text/plain. Only
// text types are read, grepped and edited as text.
const MIME_BY_EXT = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.svg': 'image/svg+xml', '.heic': 'image/heic', '.heif': 'image/heif',
  '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.aiff': 'audio/aiff', '.aac': 'audio/aac', '.ogg': 'audio/ogg',
  '.flac': 'audio/flac',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.mpeg': 'video/mpeg', '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo', '.flv': 'video/x-flv', '.mpg': 'video/mpeg', '.wmv': 'video/x-ms-wmv',
  '.3gpp': 'video/3gpp',
  '.pdf': 'application/pdf', '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.md': 'text/markdown', '.markdown': 'text/markdown', '.html': 'text/html', '.htm': 'text/html',
  '.css': 'text/css', '.csv': 'text/csv', '.xml': 'text/xml', '.json': 'application/json',
  '.js': 'application/javascript', '.mjs': 'application/javascript', '.cjs': 'application/javascript',
};

/** deepagents' MIME type of a path (by its extension; text/plain by default). */
export function mimeTypeOf(filePath) {
  const name = String(filePath).replace(/\\/g, '/').split('/').pop();
  const dot = name.lastIndexOf('.');
  const ext = dot <= 0 ? '' : name.slice(dot).toLocaleLowerCase();
  return MIME_BY_EXT[ext] || 'text/plain';
}

function isTextMime(m) {
  return m.startsWith('text/') || m === 'application/json' || m === 'application/javascript' || m === 'image/svg+xml';
}

/** Whether deepagents treats the path as text (read with line numbers, grepped). */
export function isTextPath(filePath) {
  return isTextMime(mimeTypeOf(filePath));
}

// ------------------------------------------------------------------ helpers

const utf8 = new TextDecoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Characters that make a find -path operand a pattern rather than a name. */
const GLOB_META = /[*?[\\]/;

/** find's child path: no second '/' after a starting point that ends in one. */
function findJoin(dir, name) {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** find's -name operand: the last component, trailing slashes dropped. */
function findName(p) {
  let n = p.length;
  while (n > 1 && p[n - 1] === '/') n--;
  const s = p.slice(0, n);
  const i = s.lastIndexOf('/');
  return i < 0 || s === '/' ? s : s.slice(i + 1);
}

/** find -L's stat: the target, or the link itself when the target is missing. */
async function findStat(fsa, p) {
  try {
    return await fsa.stat(p);
  } catch (e) {
    let l;
    try {
      l = await fsa.lstat(p);
    } catch {
      return null;
    }
    if (l.kind !== 'l' || (e && e.errno === 'ELOOP')) return null;
    return l;
  }
}

async function readdirOrNull(fsa, p) {
  try {
    return await fsa.readdir(p);
  } catch {
    return null;
  }
}

function isLoop(st, ancestors) {
  if (st.ino === undefined) return false;
  return ancestors.some((a) => a.ino === st.ino && a.dev === st.dev);
}

/** The line of `find -printf '%s\t%T@\t%y\t%p\n'` (seconds without the fraction: the base parses an integer). */
function statLine(st, p) {
  return `${st.size}\t${Math.floor(st.mtimeMs / 1000)}\t${st.kind}\t${p}`;
}

/** Parses find output as the base class does: size, mtime, type, then the path (which may hold tabs). */
function parseStatLines(output) {
  const out = [];
  for (const line of output.trim().split('\n').filter(Boolean)) {
    const t1 = line.indexOf('\t');
    const t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
    const t3 = t2 < 0 ? -1 : line.indexOf('\t', t2 + 1);
    if (t3 < 0) continue;
    const size = parseInt(line.slice(0, t1), 10);
    const mtime = parseInt(line.slice(t1 + 1, t2), 10);
    const type = line.slice(t2 + 1, t3);
    if (Number.isNaN(size) || Number.isNaN(mtime)) continue;
    out.push({ size, mtime, isDir: type.startsWith('d'), fullPath: line.slice(t3 + 1) });
  }
  return out;
}

function isoSeconds(sec) {
  return new Date(sec * 1000).toISOString();
}

// ------------------------------------------------------------------ ls

/** BaseSandbox.ls: the entries of a directory (find -L P -maxdepth 1 -not -path P). */
export async function lsDirect(fsa, path) {
  if (typeof path !== 'string' || !path || GLOB_META.test(path)) return null;
  const lines = [];
  const st = await findStat(fsa, path);
  if (st && st.kind === 'd') {
    for (const name of (await readdirOrNull(fsa, path)) || []) {
      const p = findJoin(path, name);
      const e = await findStat(fsa, p);
      if (e && !(e.kind === 'd' && isLoop(e, [st]))) lines.push(statLine(e, p));
    }
  }
  const files = parseStatLines(lines.join('\n')).map((e) => ({
    path: e.isDir ? `${e.fullPath}/` : e.fullPath, is_dir: e.isDir, size: e.size, modified_at: isoSeconds(e.mtime),
  }));
  return { files };
}

// ------------------------------------------------------------------ glob

/** The base class's listing cap (its `| head -n 50001`). */
const MAX_GLOB_LINES = 50000;

/** deepagents' glob syntax as a RegExp on paths relative to the search base. */
export function globPathRegex(pattern) {
  let re = '^';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i += 2;
      if (pattern[i] === '/') {
        re += '(.*/)?';
        i++;
      } else {
        re += '.*';
      }
    } else if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      // a bracket expression goes through as written, up to its ']'
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j++;
      re += pattern.slice(i, j + 1);
      i = j + 1;
    } else {
      re += '.+^${}()|\\'.includes(c) ? `\\${c}` : c;
      i++;
    }
  }
  return new RegExp(`${re}$`);
}

/**
 * Walks like `find -L START ...` in pre-order: visit(path, stat, depth) for
 * each entry, `prune(path)` keeps a directory (and all below it) out, a
 * directory that is its own ancestor is skipped (find's loop check), and the
 * walk stops when visit returns false.
 */
async function findWalk(fsa, start, visit, prune = () => false) {
  const go = async (p, depth, ancestors) => {
    const st = await findStat(fsa, p);
    if (!st) return true;
    if (st.kind === 'd' && isLoop(st, ancestors)) return true;
    if (prune(p)) return true;
    if ((await visit(p, st, depth)) === false) return false;
    if (st.kind !== 'd') return true;
    const names = await readdirOrNull(fsa, p);
    if (!names) return true;
    const below = [...ancestors, st];
    for (const name of names) {
      if (!(await go(findJoin(p, name), depth + 1, below))) return false;
    }
    return true;
  };
  await go(start, 0, []);
}

/** BaseSandbox.glob: every path under `path` (find -L, pruning /proc /sys /dev /run) matched against the pattern. */
export async function globDirect(fsa, pattern, path = '/') {
  if (typeof pattern !== 'string' || typeof path !== 'string' || !path || GLOB_META.test(path)) return null;
  const regex = globPathRegex(pattern);
  const pruned = new Set(['/proc', '/sys', '/dev', '/run'].flatMap((d) => [d, `${path}${d}`]));
  const lines = [];
  await findWalk(fsa, path, (p, st) => {
    if (p === path) return true; // -not -path START
    lines.push(statLine(st, p));
    return lines.length <= MAX_GLOB_LINES; // head -n 50001
  }, (p) => pruned.has(p));
  const entries = parseStatLines(lines.join('\n'));
  const truncated = entries.length > MAX_GLOB_LINES;
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  const files = [];
  for (const e of truncated ? entries.slice(0, MAX_GLOB_LINES) : entries) {
    const rel = e.fullPath.startsWith(`${base}/`) ? e.fullPath.slice(base.length + 1) : e.fullPath;
    if (regex.test(rel)) files.push({ path: rel, is_dir: e.isDir, size: e.size, modified_at: isoSeconds(e.mtime) });
  }
  return { files, truncated };
}

// ------------------------------------------------------------------ grep

/**
 * find's -name pattern (fnmatch without flags: '*' and '?' match '/' and a
 * leading '.') as a RegExp; null for what is not reproduced here
 * (character classes like [[:alpha:]], a trailing backslash).
 */
export function fnmatchRegex(glob) {
  const chars = Array.from(glob);
  let re = '';
  // escapes valid in a 'u' RegExp: outside a class, and inside one
  const lit = (ch) => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const litIn = (ch) => ch.replace(/[\]\\^-]/g, '\\$&');
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\') {
      if (i + 1 >= chars.length) return null;
      re += lit(chars[++i]);
    } else if (c === '[') {
      let j = i + 1;
      let neg = false;
      if (chars[j] === '!' || chars[j] === '^') {
        neg = true;
        j++;
      }
      let set = '';
      let first = true;
      let closed = false;
      for (; j < chars.length; j++) {
        const d = chars[j];
        if (d === ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (d === '[' && (chars[j + 1] === ':' || chars[j + 1] === '=' || chars[j + 1] === '.')) return null;
        if (d === '\\') {
          if (j + 1 >= chars.length) return null;
          set += litIn(chars[++j]);
        } else if (chars[j + 1] === '-' && chars[j + 2] !== undefined && chars[j + 2] !== ']') {
          if (d.codePointAt(0) > chars[j + 2].codePointAt(0)) return null;
          set += `${litIn(d)}-${litIn(chars[j + 2])}`;
          j += 2;
        } else {
          set += litIn(d);
        }
      }
      if (!closed) {
        re += '\\['; // an unclosed '[' is itself
        continue;
      }
      re += neg ? `[^${set}]` : `[${set}]`;
      i = j;
    } else {
      re += lit(c);
    }
  }
  return new RegExp(`^${re}$`, 'su');
}

function bytesIndexOf(hay, needle, from = 0) {
  if (needle.length === 0) return from <= hay.length ? from : -1;
  const first = needle[0];
  for (let i = hay.indexOf(first, from); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/** grep -HnF on one file: its output lines (name:line:text), as wasmsh's grep prints them. */
async function grepFile(fsa, pattern, patBytes, p, out) {
  let data;
  try {
    data = await fsa.readFile(p);
  } catch {
    return; // grep: p: Permission denied (on stderr)
  }
  if (data.length === 0) return; // no lines at all
  if (data.indexOf(0) >= 0) return; // a binary file: only "binary file matches", on stderr
  let text = null;
  try {
    text = utf8Strict.decode(data);
  } catch { /* invalid UTF-8: line by line below */ }
  if (text !== null) {
    const lines = text.split('\n');
    if (text.endsWith('\n')) lines.pop();
    for (let i = 0; i < lines.length; i++) if (lines[i].includes(pattern)) out.push(`${p}:${i + 1}:${lines[i]}`);
    return;
  }
  // grep stops printing a file at its first selected line that is not valid UTF-8
  let lineNo = 0;
  for (let start = 0; start < data.length;) {
    let end = data.indexOf(10, start);
    if (end < 0) end = data.length;
    lineNo++;
    const line = data.subarray(start, end);
    if (bytesIndexOf(line, patBytes) >= 0) {
      let s;
      try {
        s = utf8Strict.decode(line);
      } catch {
        return;
      }
      out.push(`${p}:${lineNo}:${s}`);
    }
    start = end + 1;
  }
}

/** Parses grep -Hn output as the base class does (split on ':', text types only). */
function parseGrepOutput(output) {
  const trimmed = output.trim();
  const matches = [];
  if (!trimmed) return matches;
  for (const line of trimmed.split('\n')) {
    const parts = line.split(':');
    if (parts.length < 3 || !isTextPath(parts[0])) continue;
    const lineNum = parseInt(parts[1], 10);
    if (!Number.isNaN(lineNum)) matches.push({ path: parts[0], line: lineNum, text: parts.slice(2).join(':') });
  }
  return matches;
}

/**
 * BaseSandbox.grep with a glob: literal matches of `pattern` in the files
 * under `path` whose name matches, as `find -L path -type f -name GLOB -exec
 * grep -HnF`. Without a glob (`grep -rHnF`) it declines: the shell's grep
 * does that walk faster.
 */
export async function grepDirect(fsa, pattern, path = '/', glob = null, maxCount = null) {
  if (typeof pattern !== 'string' || pattern.includes('\n') || pattern.includes('\0')) return null;
  if (typeof path !== 'string' || !path || !glob) return null;
  const nameRe = fnmatchRegex(glob);
  if (!nameRe) return null;
  const patBytes = encoder.encode(pattern);
  const files = [];
  await findWalk(fsa, path, (p, st) => {
    if (st.kind === 'f' && nameRe.test(findName(p))) files.push(p);
    return true;
  });
  const lines = [];
  for (const p of files) await grepFile(fsa, pattern, patBytes, p, lines);
  return applyGrepMaxCount({ result: { matches: parseGrepOutput(lines.join('\n')) }, maxCount });
}

// ------------------------------------------------------------------ read

const EMPTY_FILE_NOTE = 'System reminder: File exists but has empty contents\n';
const MAX_READ_LIMIT = 999999999;

/** BaseSandbox.read of a text file: `limit` lines from line `offset` (0-based), numbered as awk's "%6d\t%s". */
export async function readDirect(fsa, filePath, offset = 0, limit = 500) {
  if (typeof filePath !== 'string' || !filePath) return null;
  const mimeType = mimeTypeOf(filePath);
  const { offset: off, limit: lim } = normalizeReadPagination(offset, limit);
  if (lim === 0) return { content: '', mimeType };
  const notFound = { error: `File '${filePath}' not found` };
  let st;
  try {
    st = await fsa.stat(filePath);
  } catch {
    return notFound; // [ ! -f P ]
  }
  if (st.kind !== 'f') return notFound;
  if (st.size === 0) return { content: EMPTY_FILE_NOTE, mimeType };
  let data;
  try {
    data = await fsa.readFile(filePath);
  } catch {
    return notFound; // awk cannot open it: a non-zero status
  }
  const text = utf8.decode(data);
  const records = text.split('\n');
  if (text.endsWith('\n')) records.pop();
  const total = records.length;
  const first = off + 1;
  const last = off + Math.min(lim, MAX_READ_LIMIT);
  const rows = [];
  for (let n = first; n <= Math.min(last, total); n++) rows.push(`${String(n).padStart(6)}\t${records[n - 1]}`);
  const content = rows.length ? `${rows.join('\n')}\n` : '';
  const endOffset = Math.min(off + lim, total);
  if (off >= total || endOffset <= off) return { content, mimeType };
  return {
    content, totalLines: total, startLine: off + 1, endLine: endOffset,
    nextOffset: endOffset < total ? endOffset : undefined, mimeType,
  };
}

// ------------------------------------------------------------------ edit

/**
 * BaseSandbox.edit's replacement on a file's text: {result} when nothing is
 * to be written (an error, or no change), {result, text} with the new text.
 */
export function editText(text, oldString, newString, replaceAll, filePath) {
  const done = (occurrences) => ({ path: filePath, filesUpdate: null, occurrences });
  if (oldString.length === 0) {
    if (text.length !== 0) return { result: { error: 'oldString must not be empty unless the file is empty' } };
    if (newString.length === 0) return { result: done(0) };
    return { result: done(1), text: newString };
  }
  const at = text.indexOf(oldString);
  if (at < 0) return { result: { error: `String not found in file '${filePath}'` } };
  if (oldString === newString) return { result: done(1) };
  if (replaceAll) {
    const count = text.split(oldString).length - 1;
    return { result: done(count), text: text.replaceAll(oldString, newString) };
  }
  if (text.indexOf(oldString, at + oldString.length) >= 0) {
    return { result: { error: `Multiple occurrences found in '${filePath}'. Use replaceAll=true to replace all.` } };
  }
  return { result: done(1), text: text.slice(0, at) + newString + text.slice(at + oldString.length) };
}

// ------------------------------------------------------------------ adapters

// Emscripten's FS numbers errors as WASI does.
const WASI_ERRNO = {
  2: 'EACCES', 20: 'EEXIST', 28: 'EINVAL', 31: 'EISDIR', 32: 'ELOOP', 37: 'ENAMETOOLONG', 44: 'ENOENT',
  54: 'ENOTDIR', 55: 'ENOTEMPTY', 63: 'EPERM', 69: 'EROFS',
};

function fsErr(e) {
  const errno = e && typeof e.errno === 'number' ? (WASI_ERRNO[e.errno] || `errno ${e.errno}`) : 'EIO';
  return Object.assign(new Error(errno), { errno });
}

/** The adapter over an in-process session's Emscripten FS (the one its shell uses: same order, same links). */
export function inProcessAdapter(FS) {
  const kind = (mode) => (FS.isDir(mode) ? 'd' : FS.isFile(mode) ? 'f' : FS.isLink(mode) ? 'l'
    : FS.isChrdev(mode) ? 'c' : FS.isBlkdev(mode) ? 'b' : FS.isFIFO(mode) ? 'p' : 's');
  const info = (st) => ({
    kind: kind(st.mode), size: st.size, dev: st.dev, ino: st.ino,
    mtimeMs: st.mtime instanceof Date ? st.mtime.getTime() : Number(st.mtime),
  });
  const call = (fn) => {
    try {
      return fn();
    } catch (e) {
      throw fsErr(e);
    }
  };
  return {
    readdir: (p) => call(() => FS.readdir(p).filter((n) => n !== '.' && n !== '..')),
    stat: (p) => call(() => info(FS.stat(p))),
    lstat: (p) => call(() => info(FS.lstat(p))),
    readFile: (p) => call(() => FS.readFile(p)),
  };
}

/**
 * The adapter over a session's file API (a remote session, or a browser
 * session in its worker): names come sorted (listDir) and symlinks are not
 * followed (stat is of the link); one request or message per call.
 */
export function apiAdapter(session) {
  const info = (st) => ({
    kind: st.isDirectory ? 'd' : st.isSymbolicLink ? 'l' : st.isFile ? 'f' : 'c', size: st.size, mtimeMs: st.mtimeMs,
  });
  return {
    readdir: async (p) => (await session.listDir(p)).map((e) => e.name),
    stat: async (p) => info(await session.stat(p)),
    lstat: async (p) => info(await session.stat(p)),
    readFile: (p) => session.readFile(p),
  };
}
