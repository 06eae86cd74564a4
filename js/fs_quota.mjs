// fs_quota.mjs - the file system budgets of a session: the size of one file
// (`fileBytes`), of all files together (`diskBytes`) and their number
// (`files`), enforced inside Emscripten's MEMFS, so that they hold for the
// shell, Python and the session API alike. MEMFS keeps file contents in
// JavaScript arrays of the host process: without these limits a script could
// fill the host's memory (`head -c 10G /dev/zero > f`, a sparse write at
// offset 10**12, a million empty files).
//
// What counts: the bytes of regular files (their logical size) and the
// number of files, directories and links created since the quota was
// installed (the runtime's own files, such as the standard library, are the
// baseline and count only once changed). A write, truncate or create past a
// limit fails with EFBIG (one file) or ENOSPC (the total, the count), and the
// quota's `onExceeded(kind)` is told, so that the running command stops with a
// budget message. An unlinked file still open keeps counting until it is
// closed.
//
// Platform-neutral: it only touches the FS object given.

// Emscripten numbers errno as WASI does
const EFBIG = 22;
const ENOSPC = 51;

export const QUOTA_KINDS = { fileSize: 1, disk: 2, files: 3 }; // wasmsh_budget_stop's numbers

/** Installs the quota on `FS` (once per FS); returns it. Limits are set later with setLimits. */
export function installFsQuota(FS) {
  if (FS.wasmshQuota) return FS.wasmshQuota;
  const MEMFS = FS.filesystems && FS.filesystems.MEMFS;
  if (!MEMFS || !MEMFS.stream_ops || !MEMFS.node_ops) throw new Error('fs quota: MEMFS not found');
  const quota = {
    limits: { fileBytes: Infinity, diskBytes: Infinity, files: Infinity },
    usedBytes: 0,
    usedFiles: 0,
    onExceeded: null, // (kind: 'fileSize' | 'disk' | 'files') => void
    setLimits(l) {
      for (const k of ['fileBytes', 'diskBytes', 'files']) {
        if (l[k] !== undefined) this.limits[k] = l[k] === null ? Infinity : l[k];
      }
    },
    usage() {
      return { bytes: this.usedBytes, files: this.usedFiles };
    },
  };
  const refuse = (kind, errno) => {
    if (quota.onExceeded) {
      try { quota.onExceeded(kind); } catch { /* the error below is what matters */ }
    }
    throw new FS.ErrnoError(errno);
  };
  // Checks that `node` may become `newSize` bytes long.
  const allowSize = (node, newSize) => {
    if (newSize <= (node.usedBytes || 0)) return;
    if (newSize > quota.limits.fileBytes) refuse('fileSize', EFBIG);
    const counted = node.wasmshBytes || 0;
    if (quota.usedBytes + (newSize - counted) > quota.limits.diskBytes) refuse('disk', ENOSPC);
  };
  const account = (node) => {
    if (node.wasmshGone) return; // released already: an unlinked, closed file
    const now = node.usedBytes || 0;
    quota.usedBytes += now - (node.wasmshBytes || 0);
    node.wasmshBytes = now;
  };
  const release = (node) => {
    if (!node || node.wasmshGone) return;
    if (FS.isFile(node.mode) && hasOpenStream(FS, node)) {
      node.wasmshUnlinked = true; // released at its last close
      return;
    }
    quota.usedBytes -= node.wasmshBytes || 0;
    node.wasmshBytes = 0;
    node.wasmshGone = true;
    if (node.wasmshCounted) {
      node.wasmshCounted = false;
      quota.usedFiles--;
    }
  };

  // --- file contents: write (also msync's path), truncate
  const patchStream = (table) => {
    const write = table.write;
    table.write = function (stream, buffer, offset, length, position, canOwn) {
      const node = stream.node;
      if (length > 0) allowSize(node, position + length);
      const n = write.call(this, stream, buffer, offset, length, position, canOwn);
      account(node);
      return n;
    };
  };
  const patchNode = (table) => {
    const setattr = table.setattr;
    table.setattr = function (node, attr) {
      if (attr && attr.size !== undefined && FS.isFile(node.mode)) allowSize(node, attr.size);
      const r = setattr.call(this, node, attr);
      if (FS.isFile(node.mode)) account(node);
      return r;
    };
  };
  // --- names: create, unlink, rmdir, rename over an existing file
  const patchDir = (table) => {
    for (const op of ['unlink', 'rmdir']) {
      const orig = table[op];
      table[op] = function (parent, name) {
        const node = parent.contents ? parent.contents[name] : undefined;
        const r = orig.call(this, parent, name);
        release(node);
        return r;
      };
    }
    const rename = table.rename;
    table.rename = function (oldNode, newDir, newName) {
      const target = newDir.contents ? newDir.contents[newName] : undefined;
      const r = rename.call(this, oldNode, newDir, newName);
      if (target && target !== oldNode) release(target);
      return r;
    };
  };

  patchStream(MEMFS.stream_ops);
  patchNode(MEMFS.node_ops);
  patchDir(MEMFS.node_ops);
  // The per-type tables copied the functions when MEMFS made its first node.
  if (MEMFS.ops_table) {
    patchStream(MEMFS.ops_table.file.stream);
    patchNode(MEMFS.ops_table.file.node);
    patchNode(MEMFS.ops_table.dir.node);
    patchDir(MEMFS.ops_table.dir.node);
  }
  const createNode = MEMFS.createNode;
  MEMFS.createNode = function (parent, name, mode, dev) {
    if (parent && quota.usedFiles + 1 > quota.limits.files) refuse('files', ENOSPC);
    const node = createNode.call(this, parent, name, mode, dev);
    if (parent) {
      node.wasmshCounted = true;
      quota.usedFiles++;
    }
    return node;
  };
  const close = FS.close;
  FS.close = function (stream) {
    const r = close.call(this, stream);
    const node = stream && stream.node;
    if (node && node.wasmshUnlinked && !hasOpenStream(FS, node)) {
      node.wasmshUnlinked = false;
      release(node);
    }
    return r;
  };
  FS.wasmshQuota = quota;
  return quota;
}

function hasOpenStream(FS, node) {
  const streams = FS.streams || [];
  for (const s of streams) if (s && s.node === node) return true;
  return false;
}
