import fs from 'node:fs';
import path from 'node:path';

/**
 * Where scripts/build-native.js puts the compiled addons, relative to the
 * package root. Found by walking up from this file, so the same code works from
 * dist/src/main/lock (tests, headless agent) and from a packaged app, where
 * .node files must sit outside the asar archive (asarUnpack) because the OS
 * loader cannot read inside it.
 */
const RELEASE_DIR = path.join('native', 'build', 'Release');

export function nativeAddonPath(name: string, from: string = __dirname): string | null {
  let dir = from;
  for (;;) {
    for (const base of [dir, dir.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked')]) {
      const candidate = path.join(base, RELEASE_DIR, `${name}.node`);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export class NativeAddonMissingError extends Error {
  constructor(readonly addon: string) {
    super(`native addon '${addon}' is not built: run \`node scripts/build-native.js\``);
    this.name = 'NativeAddonMissingError';
  }
}

/** Loads a compiled addon by name; throws NativeAddonMissingError when it was not built. */
export function loadNativeAddon<T>(name: string): T {
  const file = nativeAddonPath(name);
  if (file === null) throw new NativeAddonMissingError(name);
  // A .node file is loaded with require() by design: it is how Node loads N-API addons.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}
