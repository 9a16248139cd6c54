// Runs a CommonJS bundle through a V8 code cache kept beside it, so later runs skip parsing
// and compiling what earlier runs used. Node 20 has no module compile cache; vm.Script's
// cachedData is the same mechanism. V8 checks a cache only against the source's length, so
// its name carries the bundle's size and mtime: a rebuilt bundle never meets an old cache.
// Each command keeps its own cache: a cache holds what the run that made it compiled, and the
// commands load different modules (apply its run, --help next to nothing), so a cache made by
// one would leave another compiling most of its code on every start, or deserialising code it
// never runs.
const { isAscii } = require('node:buffer');
const { closeSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

/** The bundle's exports, or null when it is not there; `command` names the cache to use. */
function loadBundle(file, command) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  const stat = fstatSync(fd);
  const source = sourceText(readFileSync(fd));
  closeSync(fd);
  const cacheFile = `${file}.${stat.size}-${Math.trunc(stat.mtimeMs)}.${cacheKey(command)}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the functions it compiled are in the cache too.
    process.once('beforeExit', () => writeCache(script, cacheFile));
  }
  return module.exports;
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

function writeCache(script, cacheFile) {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch {
    // A read-only install runs without a cache.
  }
}

exports.loadBundle = loadBundle;
