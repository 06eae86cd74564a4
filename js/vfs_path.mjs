// vfs_path.mjs - POSIX path arithmetic for paths inside a session's
// filesystem (Node's path.posix would do, but this file also runs in browsers).

/** `p` with "." and ".." resolved and duplicate slashes removed; absolute stays absolute. */
export function normalize(p) {
  const abs = p.startsWith('/');
  const out = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = out.join('/');
  return abs ? `/${s}` : (s || '.');
}

export function join(...parts) {
  return normalize(parts.filter((x) => x !== '').join('/'));
}

export function dirname(p) {
  const n = normalize(p);
  if (n === '/') return '/';
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : n.slice(0, i);
}

export function basename(p) {
  const n = normalize(p);
  return n === '/' ? '/' : n.slice(n.lastIndexOf('/') + 1);
}
