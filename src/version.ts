// Version facts baked in at build time (scripts/build.mjs defines them); tests that import the
// sources unbundled see the fallbacks.
declare const __TSPOD_VERSION__: string | undefined;
declare const __TSPOD_COMMIT__: string | undefined;
declare const __TSPOD_BUILT__: number | undefined;

export const VERSION = typeof __TSPOD_VERSION__ === 'string' ? __TSPOD_VERSION__ : '0.0.0-dev';
export const GIT_COMMIT = typeof __TSPOD_COMMIT__ === 'string' ? __TSPOD_COMMIT__ : '';
/** Build time in seconds since the epoch. */
export const BUILT = typeof __TSPOD_BUILT__ === 'number' ? __TSPOD_BUILT__ : 0;
