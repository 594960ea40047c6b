#!/usr/bin/env node
// Waits for a harvest job to end and prints "status features": one process polling every 50 ms,
// so watching the harvest costs the machine next to nothing (a curl and a jq every poll cost
// 10–15 ms of CPU each, taken from the harvest being timed).
//   node bench/harvest-wait.mjs http://127.0.0.1:18091/api/layers/x/harvests/1 TOKEN
const [href, token] = process.argv.slice(2);
for (;;) {
  const res = await fetch(href, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${href}: HTTP ${res.status}`);
  const job = await res.json();
  if (job.status !== 'queued' && job.status !== 'running') {
    console.log(`${job.status} ${job.features}`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
