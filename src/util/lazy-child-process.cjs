// node:child_process for the bundled commander, loaded when first used: commander requires it at
// start-up for subcommands run as separate programs, which kfake has none of.
'use strict';
let real;
module.exports = new Proxy({}, {
  get(_, name) {
    real ??= process.getBuiltinModule('node:child_process');
    return real[name];
  },
});
