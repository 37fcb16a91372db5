// Preloaded by the benchmarks (NODE_OPTIONS=--require): on exit, write the process's peak
// resident set size in KiB to $KFAKE_BENCH_RSS_FILE.
'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const file = process.env.KFAKE_BENCH_RSS_FILE;
  if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
});
