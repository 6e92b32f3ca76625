#!/usr/bin/env node
// The first thing `kosmo` does, before it imports anything: refuse an old Node.js in one line.
// Written for old Nodes too (no static imports, no top-level await, no optional chaining), so the
// message is what a Node 20 user sees rather than a crash deep in a dependency. Keep in step with
// "engines" in package.json.
var REQUIRED = [22, 17, 0];
var current = process.versions.node.split('.').map(Number);
var tooOld = false;
for (var i = 0; i < 3; i++) {
  if (current[i] !== REQUIRED[i]) {
    tooOld = current[i] < REQUIRED[i];
    break;
  }
}
if (tooOld) {
  var english =
    String(process.env.KOSMO_LANG || '')
      .toLowerCase()
      .indexOf('en') === 0;
  process.stderr.write(
    english
      ? 'kosmo: Node.js ' +
          REQUIRED.join('.') +
          ' or newer is required (this is v' +
          process.versions.node +
          '). Install Node.js 24 LTS from https://nodejs.org/ or with: npm install -g --prefix /opt/node24 node@24\n'
      : 'kosmo: Node.js ' +
          REQUIRED.join('.') +
          ' 以上が必要です(実行中は v' +
          process.versions.node +
          ')。https://nodejs.org/ から Node.js 24 LTS を入れてください(例: npm install -g --prefix /opt/node24 node@24)。\n',
  );
  process.exit(1);
}

import('./kosmo-start.js');
