// metrics.mjs - a small Prometheus registry (text exposition format 0.0.4):
// counters, gauges (set, or computed at scrape time) and histograms, with
// labels. The runner and the dispatcher each keep one.

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function labelKey(labels) {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

function fmt(v) {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

class Metric {
  constructor(name, help, type) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.values = new Map(); // label key -> value
  }

  header() {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
  }
}

class Counter extends Metric {
  constructor(name, help) { super(name, help, 'counter'); }

  inc(labels = {}, by = 1) {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) || 0) + by);
  }

  get(labels = {}) { return this.values.get(labelKey(labels)) || 0; }

  render() {
    let s = this.header();
    if (!this.values.size) s += `${this.name} 0\n`;
    for (const [k, v] of this.values) s += `${this.name}${k ? `{${k}}` : ''} ${fmt(v)}\n`;
    return s;
  }
}

class Gauge extends Metric {
  constructor(name, help, collect) {
    super(name, help, 'gauge');
    this.collect = collect; // () => number | [[labels, number]...]
  }

  set(labels, v) {
    if (typeof labels === 'number') { v = labels; labels = {}; }
    this.values.set(labelKey(labels), v);
  }

  render() {
    let s = this.header();
    if (this.collect) {
      const got = this.collect();
      if (typeof got === 'number') s += `${this.name} ${fmt(got)}\n`;
      else for (const [labels, v] of got) s += `${this.name}{${labelKey(labels)}} ${fmt(v)}\n`;
      return s;
    }
    if (!this.values.size) s += `${this.name} 0\n`;
    for (const [k, v] of this.values) s += `${this.name}${k ? `{${k}}` : ''} ${fmt(v)}\n`;
    return s;
  }
}

class Histogram extends Metric {
  constructor(name, help, buckets = DEFAULT_BUCKETS) {
    super(name, help, 'histogram');
    this.buckets = buckets;
  }

  observe(labels, seconds) {
    if (typeof labels === 'number') { seconds = labels; labels = {}; }
    const k = labelKey(labels);
    let h = this.values.get(k);
    if (!h) {
      h = { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.values.set(k, h);
    }
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  render() {
    let s = this.header();
    const entries = this.values.size ? [...this.values] : [['', { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 }]];
    for (const [k, h] of entries) {
      const pre = k ? `${k},` : '';
      this.buckets.forEach((b, i) => { s += `${this.name}_bucket{${pre}le="${fmt(b)}"} ${h.counts[i]}\n`; });
      s += `${this.name}_bucket{${pre}le="+Inf"} ${h.count}\n`;
      s += `${this.name}_sum${k ? `{${k}}` : ''} ${fmt(h.sum)}\n`;
      s += `${this.name}_count${k ? `{${k}}` : ''} ${h.count}\n`;
    }
    return s;
  }
}

export class Registry {
  constructor() { this.metrics = []; }

  counter(name, help) { return this.add(new Counter(name, help)); }

  gauge(name, help, collect) { return this.add(new Gauge(name, help, collect)); }

  histogram(name, help, buckets) { return this.add(new Histogram(name, help, buckets)); }

  add(m) {
    this.metrics.push(m);
    return m;
  }

  render() { return this.metrics.map((m) => m.render()).join(''); }
}

/** The process's own memory and CPU, under the names Prometheus's Node clients use. */
export function addProcessMetrics(reg, prefix) {
  reg.gauge(`${prefix}_process_resident_memory_bytes`, 'Resident set size of the process', () => process.memoryUsage.rss());
  reg.gauge(`${prefix}_process_heap_used_bytes`, 'V8 heap used by the main thread', () => process.memoryUsage().heapUsed);
  reg.gauge(`${prefix}_process_cpu_seconds_total`, 'User and system CPU time of the process', () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  });
  const start = Date.now() / 1000;
  reg.gauge(`${prefix}_process_start_time_seconds`, 'Start time of the process (Unix time)', () => start);
}
