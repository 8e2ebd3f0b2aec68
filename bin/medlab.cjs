#!/usr/bin/env node
'use strict';
// Runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    'medlab: the CLI is not built yet; run "npm run build" in ' + path.dirname(__dirname) + '\n',
  );
  process.exit(1);
}
require(bundle)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
