// rescue.mjs - carrying a session's files over to a fresh engine after its
// runtime failed in a way that cannot be unwound (a wasm trap, an abort on
// out-of-memory inside C code, an attempt at the closed JavaScript bridge
// through a function that cannot report an error). The old instance's MEMFS
// is plain JavaScript objects, readable whatever state its wasm memory is in.
//
// Everything is copied but the device and process trees; files whose
// contents the two instances share (the standard library, the bundled
// wheels: copy-on-write arrays nobody wrote to) are left as the new instance
// has them.

const SKIP = new Set(['/dev', '/proc']);

/** Copies the file tree of `from` (an Emscripten FS) into `to`. Returns the number of entries copied. */
export function copyFileTree(from, to) {
  let copied = 0;
  const walk = (dir) => {
    let names;
    try {
      names = from.readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === '.' || name === '..') continue;
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (SKIP.has(path)) continue;
      let st;
      try {
        st = from.lstat(path);
      } catch {
        continue;
      }
      try {
        if (from.isDir(st.mode)) {
          ensureDir(to, path);
          walk(path);
        } else if (from.isLink(st.mode)) {
          replaceWith(to, path, () => to.symlink(from.readlink(path), path));
        } else if (from.isFile(st.mode)) {
          if (sameContents(from, to, path)) continue;
          replaceWith(to, path, () => to.writeFile(path, from.readFile(path)));
        } else {
          continue;
        }
        copied++;
        if (!from.isLink(st.mode)) {
          to.chmod(path, st.mode & 0o7777);
          const mtime = st.mtime instanceof Date ? st.mtime.getTime() : Number(st.mtime);
          to.utime(path, mtime, mtime);
        }
      } catch { /* one entry that cannot be copied does not stop the others */ }
    }
  };
  walk('/');
  return copied;
}

function ensureDir(FS, path) {
  try {
    if (FS.isDir(FS.lstat(path).mode)) return;
    FS.unlink(path);
  } catch { /* absent */ }
  FS.mkdirTree(path);
}

function replaceWith(FS, path, make) {
  try {
    const st = FS.lstat(path);
    if (FS.isDir(st.mode)) return; // a directory in the fresh instance stays
    FS.unlink(path);
  } catch { /* absent */ }
  make();
}

function sameContents(from, to, path) {
  try {
    const a = from.lookupPath(path).node;
    const b = to.lookupPath(path).node;
    return a.contents && a.contents === b.contents && a.usedBytes === b.usedBytes;
  } catch {
    return false;
  }
}
