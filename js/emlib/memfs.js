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
 * those bits as the kernel does.
 *
 * timestamps: 3.1.6's MEMFS keeps one time per file, in milliseconds, and
 * utimensat stores the later of atime and mtime (so `touch -a` moved the
 * mtime), follows symbolic links whatever the flags, and ignores UTIME_NOW
 * and UTIME_OMIT; stat reports whole seconds. Here utimensat keeps atime,
 * mtime and ctime apart with their nanoseconds (node.wasmshTimes), stat
 * reports them, and a later write to the file (MEMFS moves node.timestamp)
 * makes the mtime and ctime that of the write again. Times are still 32-bit
 * seconds in 3.1.6's struct stat.
 *
 * file growth: 3.1.6's MEMFS grows a file's array by only 1.125x once it
 * passes 1 MiB, copying it every time, so writing a 100 MB file in pieces
 * copied about nine times its size (sed s/a/b/g > out.txt spent half its
 * time there). Here it doubles up to 256 MiB and grows by 1.25x beyond. */
mergeInto(LibraryManager.library, {
  $wasmshMemfs__deps: ['$FS', '$SYSCALLS', '$MEMFS'],
  $wasmshMemfs__postset: 'wasmshMemfs.install();',
  $wasmshMemfs: {
    umask: 18, // 022
    install: function() {
      MEMFS.expandFileStorage = function(node, newCapacity) {
        var prev = node.contents ? node.contents.length : 0;
        if (prev >= newCapacity) return;
        var grown = prev < 268435456 ? prev * 2 : prev * 1.25;
        newCapacity = Math.max(newCapacity, grown >>> 0, 256);
        var old = node.contents;
        node.contents = new Uint8Array(newCapacity);
        if (node.usedBytes > 0) node.contents.set(old.subarray(0, node.usedBytes), 0);
      };
      var mknod = FS.mknod;
      FS.mknod = function(path, mode, dev) {
        var type = mode & 61440; // S_IFMT
        if (type === 32768 || type === 16384) mode &= ~wasmshMemfs.umask; // S_IFREG, S_IFDIR
        return mknod(path, mode, dev);
      };
      var stat = FS.stat;
      FS.stat = function(path, dontFollow) {
        var attr = stat(path, dontFollow);
        var node = FS.lookupPath(path, { follow: !dontFollow }).node;
        var t = wasmshMemfs.times(node);
        attr.wasmshTimes = t;
        attr.atime = new Date(t.a[0] * 1000 + t.a[1] / 1e6);
        attr.mtime = new Date(t.m[0] * 1000 + t.m[1] / 1e6);
        attr.ctime = new Date(t.c[0] * 1000 + t.c[1] / 1e6);
        return attr;
      };
      var doStat = SYSCALLS.doStat;
      SYSCALLS.doStat = function(func, path, buf) {
        var attr = null;
        var r = doStat(function(p) { attr = func(p); return attr; }, path, buf);
        if (r === 0 && attr && attr.wasmshTimes) {
          var t = attr.wasmshTimes;
          {{{ makeSetValue('buf', C_STRUCTS.stat.st_atim.tv_sec, 't.a[0]', 'i32') }}};
          {{{ makeSetValue('buf', C_STRUCTS.stat.st_atim.tv_nsec, 't.a[1]', 'i32') }}};
          {{{ makeSetValue('buf', C_STRUCTS.stat.st_mtim.tv_sec, 't.m[0]', 'i32') }}};
          {{{ makeSetValue('buf', C_STRUCTS.stat.st_mtim.tv_nsec, 't.m[1]', 'i32') }}};
          {{{ makeSetValue('buf', C_STRUCTS.stat.st_ctim.tv_sec, 't.c[0]', 'i32') }}};
          {{{ makeSetValue('buf', C_STRUCTS.stat.st_ctim.tv_nsec, 't.c[1]', 'i32') }}};
        }
        return r;
      };
    },
    // [seconds, nanoseconds] from milliseconds
    split: function(ms) {
      var sec = Math.floor(ms / 1000);
      return [sec, Math.round((ms - sec * 1000) * 1e6)];
    },
    // The node's three times: those utimensat set, unless MEMFS has written
    // the file since (node.timestamp moved on).
    times: function(node) {
      var t = node.wasmshTimes;
      if (t && t.stamp === node.timestamp) return t;
      var now = wasmshMemfs.split(node.timestamp);
      return { a: t ? t.a : now, m: now, c: now, stamp: node.timestamp };
    },
  },

  // UTIME_NOW is (1 << 30) - 1, UTIME_OMIT (1 << 30) - 2; AT_SYMLINK_NOFOLLOW
  // is 0x100; 22 is EINVAL.
  __syscall_utimensat__deps: ['$wasmshMemfs', '$FS', '$SYSCALLS'],
  __syscall_utimensat: function(dirfd, path, times, flags) {
    try {
      path = SYSCALLS.calculateAt(dirfd, SYSCALLS.getStr(path), true);
      var node = FS.lookupPath(path, { follow: !(flags & 256) }).node;
      var now = wasmshMemfs.split(Date.now());
      var old = wasmshMemfs.times(node);
      var pick = function(i, before) {
        if (!times) return now;
        var sec = {{{ makeGetValue('times', 'i * ' + C_STRUCTS.timespec.__size__ + ' + ' + C_STRUCTS.timespec.tv_sec, 'i32') }}};
        var nsec = {{{ makeGetValue('times', 'i * ' + C_STRUCTS.timespec.__size__ + ' + ' + C_STRUCTS.timespec.tv_nsec, 'i32') }}};
        if (nsec === 1073741823) return now;
        if (nsec === 1073741822) return before;
        if (nsec < 0 || nsec > 999999999) throw new FS.ErrnoError(22);
        return [sec, nsec];
      };
      var a = pick(0, old.a), m = pick(1, old.m);
      node.timestamp = m[0] * 1000 + m[1] / 1e6;
      node.wasmshTimes = { a: a, m: m, c: now, stamp: node.timestamp };
      return 0;
    } catch (e) {
      if (typeof FS === 'undefined' || !(e instanceof FS.ErrnoError)) throw e;
      return -e.errno;
    }
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
