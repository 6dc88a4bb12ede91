// The layers of STYLE.md, enforced: shared imports nothing of ours; core
// imports shared; app, cli and host import core and shared; the renderer
// imports shared only; the server (src-server) imports shared only; electron
// only in src-main/app and src-main/preload;
// renderer features do not import each other.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'src-shared runs anywhere: no Node, DOM, electron or react, and nothing of ours (zod, and markdown-it: pure JS).',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { pathNot: ['^src-shared/', '^node_modules/zod/', '^node_modules/markdown-it/'] },
    },
    {
      name: 'core-imports-shared-only',
      severity: 'error',
      from: { path: '^src-main/core/' },
      to: { path: ['^src-main/(app|cli|host|preload)/', '^src-renderer/'] },
    },
    {
      name: 'electron-only-in-shell',
      comment: 'The core must run without Electron (CLI, tests, benchmarks, browser host).',
      severity: 'error',
      from: { pathNot: '^src-main/(app|preload)/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'fronts-do-not-import-each-other',
      severity: 'error',
      from: { path: '^src-main/(app|cli|host)/' },
      to: { path: ['^src-main/(app|cli|host)/'], pathNot: ['^src-main/$1/'] },
    },
    {
      name: 'preload-is-tiny',
      severity: 'error',
      from: { path: '^src-main/preload/' },
      to: { pathNot: ['^src-main/preload/', '^node_modules/electron/', '^src-shared/'] },
    },
    {
      name: 'renderer-imports-shared-only',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: ['^src-main/', '^node_modules/(better-sqlite3|drizzle-orm|keytar|electron-store)/'] },
    },
    {
      name: 'server-imports-shared-only',
      comment: 'The sync server (src-server) is a layer of its own: it imports src-shared, never the PC side or the UI.',
      severity: 'error',
      from: { path: '^src-server/' },
      to: { path: ['^src-main/', '^src-renderer/', '^node_modules/(electron|better-sqlite3|keytar|electron-store)/'] },
    },
    {
      name: 'nothing-imports-the-server',
      comment: 'The PC side talks to the server over HTTP only.',
      severity: 'error',
      from: { path: '^src-(shared|main|renderer)/' },
      to: { path: '^src-server/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'features-are-independent',
      comment: 'Bulletproof React: a feature never imports another feature; share through lib/ or app/.',
      severity: 'error',
      from: { path: '^src-renderer/src/features/([^/]+)/' },
      to: { path: '^src-renderer/src/features/([^/]+)/', pathNot: '^src-renderer/src/features/$1/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular-in-core',
      severity: 'warn',
      from: { path: '^src-(shared|main)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: ['^out/', '\\.d\\.ts$'] },
  },
};
