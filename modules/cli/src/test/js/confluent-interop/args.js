'use strict';
// Minimal "--flag value" parser shared by the interop scripts; kebab-case flags become camelCase keys.
function parseArgs(argv, defaults, required = ['bootstrap', 'registry', 'topic']) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!flag.startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`expected --flag value pairs, got '${flag}'`);
    }
    out[flag.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = argv[i + 1];
  }
  const missing = required.filter((name) => out[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((m) => '--' + m).join(', ')}`);
  }
  return out;
}
module.exports = { parseArgs };
