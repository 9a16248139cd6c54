// Runs a CommonJS bundle through a V8 code cache kept beside it, so later runs skip parsing
// and compiling what earlier runs used. Node 20 has no module compile cache; vm.Script's
// cachedData is the same mechanism. V8 checks a cache only against the source's length, so
// its name carries the bundle's size and mtime: a rebuilt bundle never meets an old cache.
// Each command keeps its own cache: a cache holds what the run that made it compiled, and the
// commands load different modules (apply its run, --help next to nothing), so a cache made by
// one would leave another compiling most of its code on every start, or deserialising code it
// never runs.
// Node 20's startup snapshot (--build-snapshot) of the bundle run to its exports, this cache's
// code compiled into it, saved nothing measurable (2026-11-28, 11 interleaved runs, median CPU:
// --version 107 ms here against 112 ms from a 9 MB snapshot, apply --list-tasks 233 against
// 237): deserialising it costs what it saves. It would also need node started with
// --snapshot-blob (a launcher, not `node bin/fleet.js`), stop node outright (exit 14) under
// another node version or V8 flags, and keep what modules read at load (FLEET_PROFILE) as the
// build saw it.
const { isAscii } = require('node:buffer');
const { closeSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, isBuiltin } = require('node:module');
const { dirname } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

/**
 * The bundle's exports, or null when it is not there; `command` names the cache to use.
 * `v8Flags` are set once the node built-ins the bundle required in the run that made the
 * cache are loaded: a V8 flag changes the hash V8 checks every code cache against, so a
 * built-in loaded after it is compiled from source instead of from node's own cache (the 61
 * that `fleet apply` loads: 7 % of a no-change run's instructions).
 */
function loadBundle(file, command, v8Flags = []) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    setV8Flags(v8Flags);
    return null;
  }
  const stat = fstatSync(fd);
  const source = sourceText(readFileSync(fd));
  closeSync(fd);
  const cacheFile = `${file}.${stat.size}-${Math.trunc(stat.mtimeMs)}.${cacheKey(command)}.cache`;
  const builtinsFile = `${cacheFile}.builtins`;
  const builtins = readLines(builtinsFile);
  for (const name of builtins ?? []) require(name);
  setV8Flags(v8Flags);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} };
  const required = new Set();
  script.runInThisContext()(module.exports, recordingBuiltins(createRequire(file), required), module, file, dirname(file));
  // After the run, so the functions it compiled are in the cache too, and the built-ins it required in the list.
  if (cachedData === undefined || script.cachedDataRejected) process.once('beforeExit', () => writeCache(script, cacheFile));
  if (builtins === null) process.once('beforeExit', () => writeAtomically(builtinsFile, [...required].map((name) => `${name}\n`).join('')));
  return module.exports;
}

function setV8Flags(flags) {
  for (const flag of flags) setFlagsFromString(flag);
}

/** `require`, adding the name of each node built-in it loads to `names`. */
function recordingBuiltins(require, names) {
  const recording = (id) => {
    if (isBuiltin(id)) names.add(id);
    return require(id);
  };
  return Object.assign(recording, require);
}

/** A command's name as part of a file name; anything that is not a plain word shares one cache. */
function cacheKey(command) {
  return command !== undefined && /^[a-z][a-z_-]{0,31}$/.test(command) ? command : 'other';
}

/**
 * esbuild writes the bundle in ASCII; read as latin1 it becomes a one-byte string at memcpy
 * speed, where UTF-8 decoding takes several times longer. A bundle with any other character
 * (which UTF-8 decoding would make a two-byte string of twice the size) is decoded as UTF-8.
 */
function sourceText(bytes) {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** A file's lines, or null when it cannot be read. */
function readLines(file) {
  try {
    return readFileSync(file, 'latin1').split('\n').filter(Boolean);
  } catch {
    return null;
  }
}

function writeCache(script, cacheFile) {
  writeAtomically(cacheFile, script.createCachedData());
}

function writeAtomically(file, data) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch {
    // A read-only install runs without a cache.
  }
}

exports.loadBundle = loadBundle;
