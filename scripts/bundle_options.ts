/**
 * How the CLI is bundled (scripts/bundle.ts builds dist/fleet.cjs with it; test/bin builds the
 * same bundle elsewhere to check what its start-up loads).
 *
 * Left out of the bundle: native addons (ssh2's optional crypto binding, cpu-features,
 * better-sqlite3's), which load from node_modules when present as they do unbundled.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A native addon required by a relative path (ssh2's `./crypto/build/Release/sshcrypto.node`)
 * would be looked for beside the bundle and silently missed: ssh2 then falls back to its
 * JavaScript AES-GCM, which writes every packet to the socket in three pieces (three TCP
 * segments with TCP_NODELAY) — most of a run's socket-write time. Point it at node_modules.
 */
function nativeAddonsFromNodeModules(outdir: string): Plugin {
  return {
    name: 'native-addons-from-node-modules',
    setup(builder) {
      builder.onResolve({ filter: /\.node$/ }, (args) => ({
        path: `./${relative(outdir, join(args.resolveDir, args.path))}`,
        external: true,
      }));
    },
  };
}

/**
 * fleet uses ssh2's Client, but ssh2's index also loads its server, key generator and HTTP
 * agents, and with them node:http, https and tls, on every start. `ssh2` is bundled as its
 * client, with ssh2's other exports still there, loaded on first use.
 */
const ssh2ClientFirst: Plugin = {
  name: 'ssh2-client-first',
  setup(builder) {
    const exportNames = Object.keys(createRequire(import.meta.url)('ssh2') as object).filter((name) => name !== 'Client');
    builder.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'ssh2-client-first' }));
    builder.onLoad({ filter: /.*/, namespace: 'ssh2-client-first' }, () => ({
      resolveDir: repoRoot,
      loader: 'js',
      contents: `module.exports = { Client: require('ssh2/lib/client.js') };
for (const name of ${JSON.stringify(exportNames)}) Object.defineProperty(module.exports, name, { enumerable: true, get: () => require('ssh2/lib/index.js')[name] });`,
    }));
  },
};

/**
 * better-sqlite3 (the history ledger, opened by every apply) is bundled like the rest, so its
 * modules come from the code cache instead of being looked up and compiled from node_modules
 * on every start. Its addon is required by the path node-gyp and prebuild-install give it,
 * not through the `bindings` package, which guesses the caller's directory from a stack trace
 * (the bundle's, once bundled) and tries a dozen paths.
 */
const BINDINGS_CALL = "require('bindings')('better_sqlite3.node')";
const betterSqlite3Addon: Plugin = {
  name: 'better-sqlite3-addon',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]database\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(BINDINGS_CALL).length !== 2) throw new Error(`${args.path} no longer loads its addon as ${BINDINGS_CALL}: see scripts/bundle_options.ts`);
      return { contents: source.replace(BINDINGS_CALL, "require('../build/Release/better_sqlite3.node')"), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** The bundle written to `outfile`; external modules resolve from its directory up, so it must lie inside the repository. */
export function bundleOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [join(repoRoot, 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Whitespace and syntax only: names stay, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['cpu-features'],
    plugins: [nativeAddonsFromNodeModules(dirname(outfile)), ssh2ClientFirst, betterSqlite3Addon],
    logLevel: 'warning',
  };
}
