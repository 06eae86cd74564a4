/* readlink.js - an Emscripten JS library for the builds linked with Debian's
 * emcc 3.1.6 (the standalone Node and browser modules). Its readlink and
 * readlinkat return the path resolved against the link's directory, not the
 * link's text (emscripten-core/emscripten#22999, fixed in 3.1.74), so
 * `ln -s ../x l; readlink l` printed "/abs/x" and cp -P, ls -l, tar and find
 * -printf %l saw absolute targets. These return the stored text as Linux does.
 * Pyodide's Emscripten 4 already behaves so. */
mergeInto(LibraryManager.library, {
  $wasmshReadlink__deps: ['$FS', '$SYSCALLS'],
  // AT_FDCWD is -100; 28 is EINVAL.
  $wasmshReadlink: function(dirfd, path, buf, bufsize) {
    try {
      path = SYSCALLS.calculateAt(dirfd, SYSCALLS.getStr(path));
      if (bufsize <= 0) return -28;
      var link = FS.lookupPath(path).node;
      if (!link.node_ops.readlink) return -28;
      var text = link.node_ops.readlink(link);
      var len = Math.min(bufsize, lengthBytesUTF8(text));
      var endChar = HEAP8[buf + len];
      stringToUTF8(text, buf, bufsize + 1);
      HEAP8[buf + len] = endChar;
      return len;
    } catch (e) {
      if (typeof FS === 'undefined' || !(e instanceof FS.ErrnoError)) throw e;
      return -e.errno;
    }
  },
  __syscall_readlink__deps: ['$wasmshReadlink'],
  __syscall_readlink: function(path, buf, bufsize) {
    return wasmshReadlink(-100, path, buf, bufsize);
  },
  __syscall_readlinkat__deps: ['$wasmshReadlink'],
  __syscall_readlinkat: function(dirfd, path, buf, bufsize) {
    return wasmshReadlink(dirfd, path, buf, bufsize);
  },
});
