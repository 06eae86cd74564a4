// output_sink.mjs - what a run keeps of its output: everything up to the
// output budget, then its first half and its last half (a command's end is
// where its errors are), with one marker line where the middle was dropped.
// stdout and stderr keep their interleaving in `output`. Streaming callbacks
// (onStdout/onStderr) still see every byte.

const decoderOf = () => new TextDecoder();

export class OutputSink {
  /**
   * @param {number} keepBytes  at most this many bytes are kept (Infinity: all)
   * @param {object} callbacks  {onStdout, onStderr}
   */
  constructor(keepBytes, { onStdout, onStderr } = {}) {
    this.headLimit = keepBytes === Infinity ? Infinity : Math.ceil(keepBytes / 2);
    this.tailLimit = keepBytes === Infinity ? 0 : Math.floor(keepBytes / 2);
    this.head = [];      // [fd, bytes]
    this.headBytes = 0;
    this.tail = [];      // [fd, bytes], oldest first
    this.tailBytes = 0;
    this.dropped = { 1: 0, 2: 0 };
    this.onStdout = onStdout;
    this.onStderr = onStderr;
    this.outDecoder = onStdout ? decoderOf() : null;
    this.errDecoder = onStderr ? decoderOf() : null;
    this.callbackError = null;
  }

  get droppedBytes() {
    return this.dropped[1] + this.dropped[2];
  }

  /** One chunk written by the run (fd 1 or 2); `chunk` is the sink's to keep. */
  write(fd, chunk) {
    fd = fd === 2 ? 2 : 1;
    this.stream(fd, chunk);
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(rest.length, this.headLimit - this.headBytes);
      this.head.push([fd, take === rest.length ? rest : rest.subarray(0, take)]);
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (!rest.length) return;
    this.tail.push([fd, rest]);
    this.tailBytes += rest.length;
    this.trimTail();
  }

  trimTail() {
    while (this.tailBytes > this.tailLimit && this.tail.length) {
      const over = this.tailBytes - this.tailLimit;
      const [fd, first] = this.tail[0];
      if (first.length <= over) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped[fd] += first.length;
      } else {
        this.tail[0] = [fd, first.subarray(over)];
        this.tailBytes -= over;
        this.dropped[fd] += over;
      }
    }
  }

  stream(fd, chunk) {
    const cb = fd === 2 ? this.onStderr : this.onStdout;
    if (!cb) return;
    const dec = fd === 2 ? this.errDecoder : this.outDecoder;
    try {
      cb(dec.decode(chunk, { stream: true }));
    } catch (e) {
      this.callbackError = this.callbackError || e;
    }
  }

  /** The rest of a multi-byte character split across the last chunks. */
  endStreams() {
    if (this.onStdout) { const r = this.outDecoder.decode(); if (r) this.onStdout(r); }
    if (this.onStderr) { const r = this.errDecoder.decode(); if (r) this.onStderr(r); }
  }

  /** {stdout, stderr, output, droppedBytes}: the text of what was kept. */
  assemble() {
    const dropped = this.droppedBytes;
    const marker = (n) => new TextEncoder().encode(`\n[... wasmsh: ${n} bytes of output dropped here (budget: outputBytes) ...]\n`);
    const parts = dropped ? [...this.head, [0, marker(dropped)], ...this.tail] : [...this.head, ...this.tail];
    // each stream gets its own marker, with what it lost
    const per = { 1: [], 2: [] };
    for (const [fd, bytes] of parts) {
      if (fd) per[fd].push(bytes);
      else for (const f of [1, 2]) if (this.dropped[f]) per[f].push(marker(this.dropped[f]));
    }
    const stdout = decode(per[1]);
    const stderr = decode(per[2]);
    // `output` interleaves the two streams; decoding each chunk on its own
    // would split multi-byte characters, so runs of the same stream are decoded together
    let output = '';
    let run = [];
    let runFd = -1;
    for (const [fd, bytes] of parts) {
      if (fd !== runFd && run.length) { output += decode(run); run = []; }
      runFd = fd;
      run.push(bytes);
    }
    if (run.length) output += decode(run);
    return { stdout, stderr, output, droppedBytes: dropped };
  }
}

function decode(chunks) {
  if (!chunks.length) return '';
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  let n = 0;
  for (const c of chunks) n += c.length;
  const all = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) { all.set(c, o); o += c.length; }
  return new TextDecoder().decode(all);
}
