/* memfs.js - an Emscripten JS library for the builds linked with Debian's
 * emcc 3.1.6 (the standalone Node and browser modules), making MEMFS behave
 * as Linux where wasmsh's utilities show the difference.
 *
 * readlink: 3.1.6's readlink and readlinkat return the target resolved
 * against the link's directory, not the link's text (emscripten-core/
 * emscripten#22999, fixed in 3.1.74), so `ln -s ../x l; readlink l` printed
 * an absolute path, and cp -P, ls -l and tar saw absolute targets. These
 * return the stored text. Pyodide's Emscripten 4 already does.
 *
 * umask: Emscripten's FS never applies the umask (its umask() only stores a
 * number), so `touch f` made -rw-rw-rw- files. The shell tells this library
 * its umask (wasmsh_js_umask, from sh_apply_umask) and FS.mknod, through
 * which open(O_CREAT) and mkdir create regular files and directories, clears
 * those bits as the kernel does. */
mergeInto(LibraryManager.library, {
  $wasmshMemfs__deps: ['$FS'],
  $wasmshMemfs__postset: 'wasmshMemfs.install();',
  $wasmshMemfs: {
    umask: 18, // 022
    install: function() {
      var mknod = FS.mknod;
      FS.mknod = function(path, mode, dev) {
        var type = mode & 61440; // S_IFMT
        if (type === 32768 || type === 16384) mode &= ~wasmshMemfs.umask; // S_IFREG, S_IFDIR
        return mknod(path, mode, dev);
      };
    },
  },

  wasmsh_js_umask__deps: ['$wasmshMemfs'],
  wasmsh_js_umask: function(m) {
    wasmshMemfs.umask = m & 511;
  },

  // AT_FDCWD is -100; 28 is EINVAL.
  $wasmshReadlink__deps: ['$FS', '$SYSCALLS'],
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
