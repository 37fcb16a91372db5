// Build step: run kfake once on a throw-away store with KFAKE_WRITE_CODE_CACHE=1, so bin/kfake
// writes dist/kfake.cache (V8's compiled code for everything that run touched).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-build-'));
try {
  const env = { ...process.env, KFAKE_STORE: path.join(dir, 'cluster.json'), KFAKE_SEED: 'build', KFAKE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' };
  execFileSync(process.execPath, [path.join(__dirname, 'kfake'), 'get', 'all', '-A'], { env, stdio: 'ignore' });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
