#!/usr/bin/env node
// The tile benchmark's table: MapServer, Haenau cold and warm (run-workloads.sh JSONL) and the pgbench
// ceiling (tile-ceiling.sh text), per workload, with the ratios the targets are stated in.
//   node bench/tile-ratios.mjs mapserver.jsonl haenau-cold.jsonl haenau-warm.jsonl ceiling.txt
import fs from 'node:fs';

const [ms, cold, warm, ceilingFile] = process.argv.slice(2);
if (!ceilingFile) {
  console.error('usage: node tile-ratios.mjs mapserver.jsonl cold.jsonl warm.jsonl ceiling.txt');
  process.exit(2);
}
const load = (f) => {
  const m = new Map();
  for (const l of fs.readFileSync(f, 'utf8').split('\n')) if (l.trim()) { const r = JSON.parse(l); if (r.workload?.startsWith('tiles-')) m.set(r.workload, r); }
  return m;
};
const A = load(ms), C = load(cold), W = load(warm);
const ceiling = new Map();
for (const l of fs.readFileSync(ceilingFile, 'utf8').split('\n')) {
  const m = l.match(/^(tiles-\S+)\s+([\d.]+) tiles\/s/);
  if (m) ceiling.set(m[1], Number(m[2]));
}
const errs = (r) => (r ? (r.err_connect ?? 0) + (r.err_read ?? 0) + (r.err_write ?? 0) + (r.err_timeout ?? 0) + (r.err_status ?? 0) + (r.bad_content ?? 0) : NaN);
const f = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
const kib = (r) => f(r?.avg_bytes / 1024, 1);
console.log('| workload | MapServer tiles/s | Haenau cold | Haenau warm | ceiling | cold / MapServer | warm / MapServer | cold / ceiling | MapServer / ceiling | p50 ms MS → cold → warm | p99 ms MS → cold → warm | mean KiB MS / Haenau | errors MS / cold / warm |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|');
for (const [w, a] of A) {
  const c = C.get(w), h = W.get(w), top = ceiling.get(w);
  console.log(`| ${w} | ${f(a.rps)} | ${f(c?.rps)} | ${f(h?.rps)} | ${f(top)} | ${f(c?.rps / a.rps, 2)} | ${f(h?.rps / a.rps, 2)} | ${f(c?.rps / top, 2)} | ${f(a.rps / top, 2)} | ${f(a.p50_ms)} → ${f(c?.p50_ms)} → ${f(h?.p50_ms)} | ${f(a.p99_ms)} → ${f(c?.p99_ms)} → ${f(h?.p99_ms)} | ${kib(a)} / ${kib(c)} | ${errs(a)} / ${errs(c)} / ${errs(h)} |`);
}
