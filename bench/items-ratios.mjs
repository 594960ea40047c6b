#!/usr/bin/env node
// The items benchmark's table: MapServer and Haenau (side-by-side.sh JSONL) beside the pgbench ceiling
// (items-ceiling.sh text), per workload, with both ratios the target is stated in.
//   node bench/items-ratios.mjs mapserver.jsonl haenau.jsonl ceiling.txt
// A WFS GetFeature count=1000 workload asks for the same 500 boxes as the items limit=1000 workload of
// its layer (lat/lon order aside), so that items query is its ceiling.
import fs from 'node:fs';

const [ms, ours, ceilingFile] = process.argv.slice(2);
if (!ceilingFile) {
  console.error('usage: node items-ratios.mjs mapserver.jsonl haenau.jsonl ceiling.txt');
  process.exit(2);
}
const load = (f) => new Map(fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).map((r) => [r.workload, r]));
const A = load(ms), H = load(ours);
const ceiling = new Map();
for (const l of fs.readFileSync(ceilingFile, 'utf8').split('\n')) {
  const m = l.match(/^(\S+)\s+([\d.]+) req\/s/);
  if (m) ceiling.set(m[1], Number(m[2]));
}
const errs = (r) => (r ? r.err_connect + r.err_read + r.err_write + r.err_timeout + r.err_status + r.bad_content : NaN);
const f = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
console.log('| workload | MapServer req/s | Haenau req/s | ceiling req/s | Haenau / ceiling | Haenau / MapServer | MapServer / ceiling | p50 ms MS → Haenau | p99 ms MS → Haenau | errors MS / Haenau |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|---|---|');
for (const [w, a] of A) {
  const h = H.get(w), top = ceiling.get(w.replace(/^wfs-(\w+-\w+)-c(\d+)$/, 'items-$1-l$2'));
  console.log(`| ${w} | ${f(a.rps)} | ${f(h?.rps)} | ${f(top)} | ${f(h?.rps / top, 2)} | ${f(h?.rps / a.rps, 2)} | ${f(a.rps / top, 2)} | ${f(a.p50_ms)} → ${f(h?.p50_ms)} | ${f(a.p99_ms)} → ${f(h?.p99_ms)} | ${errs(a)} / ${errs(h)} |`);
}
