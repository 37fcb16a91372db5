// Build step: run kfake on a throw-away store with KFAKE_WRITE_CODE_CACHE=1, so bin/kfake writes
// its code cache (V8's compiled code for everything that run touched): once with the node flags
// of its shebang, as it runs when started as `bin/kfake`, and once without, as `node bin/kfake`.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-build-'));
try {
  const bin = path.join(__dirname, 'kfake');
  // `#!/usr/bin/env -S node <flags>`
  const shebangFlags = fs.readFileSync(bin, 'utf8').split('\n')[0].replace(/^#!.*?\bnode\b/, '').trim().split(/\s+/).filter(Boolean);
  for (const [i, flags] of [shebangFlags, []].entries()) {
    // each on a store of its own, which the run creates: the cache then holds the write side too
    const env = { ...process.env, KFAKE_STORE: path.join(dir, `cluster-${i}.json`), KFAKE_SEED: 'build', KFAKE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' };
    execFileSync(process.execPath, [...flags, bin, 'get', 'all', '-A'], { env, stdio: 'ignore' });
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
