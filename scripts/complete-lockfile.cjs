#!/usr/bin/env node
// Run after `npm install` on a machine whose registry lacks other platforms’ binaries (see README).
// Adds lock entries for platform-specific optional packages the reachable registry does not carry,
// so `npm ci` accepts the lock; npm skips them on this platform because of their os/cpu fields.
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json'));
const pk = lock.packages;
let added = 0;
const osOf = (n) =>
  /darwin/.test(n)
    ? ['darwin']
    : /win32/.test(n)
      ? ['win32']
      : /freebsd/.test(n)
        ? ['freebsd']
        : /android/.test(n)
          ? ['android']
          : /openharmony/.test(n)
            ? ['openharmony']
            : /linux/.test(n)
              ? ['linux']
              : /wasm|wasi/.test(n)
                ? null
                : null;
const cpuOf = (n) => {
  for (const c of [
    'arm64',
    'x64',
    'ia32',
    'arm',
    'ppc64',
    's390x',
    'riscv64',
    'loong64',
    'mips64el',
    'wasm32',
  ])
    if (new RegExp(`-${c}(-|$)`).test(n.split('/').pop())) return [c];
  if (/armv7|gnueabihf|musleabihf|eabi/.test(n)) return ['arm'];
  return null;
};
for (const [path, meta] of Object.entries(pk)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies || {})) {
    const base = path ? path + '/node_modules/' : 'node_modules/';
    if (pk[base + name] || pk['node_modules/' + name]) continue;
    const entry = {
      version: range.replace(/^[\^~=]/, ''),
      dev: meta.dev || undefined,
      optional: true,
    };
    const os = osOf(name),
      cpu = cpuOf(name);
    if (os) entry.os = os;
    if (cpu) entry.cpu = cpu;
    if (!os && !cpu) {
      entry.cpu = ['wasm32'];
    }
    pk['node_modules/' + name] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
