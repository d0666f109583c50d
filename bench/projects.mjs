#!/usr/bin/env node
// Precision on real TypeScript application code (issue 10 item 5): open-source TypeScript projects that USE the
// clients the plugin knows (pg, ioredis, node-redis, mqtt, ssh2, amqplib, mongodb, undici, ws, node net/tls/http),
// pinned by repository and commit, linted with the built plugin. The hand triage of every report is in
// bench/PROJECTS-TRIAGE.md.
//
//   node bench/projects.mjs setup [--mirror <dir>] [name...]   extract the sources + install the client typings
//   node bench/projects.mjs check [name...]                     show the client imports that do not resolve
//   node bench/projects.mjs lint  [name...] [--json <file>]     lint with socket-close recommended; print reports + time
//        [--parse-only]                                          the same type-aware parse without the rules (cost baseline)
//
// Setup reads each project from a bare git clone of its repository at `<mirror>/<owner>+<name>/repo` (default
// mirror: $PROJECTS_MIRROR) and extracts the pinned commit's source directories into
// bench/.cache/projects/<name>/ (ignored by git). Only the source directories are extracted (no tests, examples,
// build scripts); a generated tsconfig.json per project replaces the project's own one (whose `extends` and
// build tooling are not installed). The projects' other dependencies are NOT installed: their imports stay
// unresolved (type `any`), which can hide a resource but never invents one. The client libraries and their
// typings are installed once into bench/.cache/projects/node_modules, at the majors the projects declare.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CACHE_DIR } from './corpus.mjs';
import { loadPlugin, rootRequire } from './configs.mjs';
import { CLIENT_DEPS } from './client-deps.mjs';

export const PROJECTS_DIR = path.join(CACHE_DIR, 'projects');

export { CLIENT_DEPS } from './client-deps.mjs';

/** Modules whose typings must resolve for the rules to see the clients (checked by `check`). */
const CLIENT_MODULES = /^(?:pg|mysql2(?:\/promise)?|ioredis|redis|@redis\/client|mqtt|ws|ssh2|amqplib|mongodb|undici|node:(?:net|tls|http|https|http2|dgram)|net|tls|http|https|http2|dgram)$/;

/** CommonJS projects: `require` resolution (node10), as they are compiled; their typings then come from `types`/`main`, not the `import` condition of `exports` (ws: `import WebSocket from 'ws'` has `WebSocket.Server` only there). */
const CJS = { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' };

const BASE_OPTIONS = {
  target: 'ES2022',
  module: 'preserve',
  moduleResolution: 'bundler',
  lib: ['ES2023'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  experimentalDecorators: true,
  skipLibCheck: true,
  noEmit: true,
  allowImportingTsExtensions: true,
};

/**
 * The projects. `dirs`: the source directories extracted (application/library code, no tests);
 * `options`: compiler options that differ from BASE_OPTIONS (taken from the project's own tsconfig);
 * `paths`: workspace packages mapped to their sources (monorepos).
 */
export const PROJECTS = [
  { name: 'graphile-worker', repo: 'graphile/worker', commit: 'abfb4cff30747ad423046d117dfb88470f03ae00', clients: 'pg', dirs: ['src'] },
  { name: 'node-pg-migrate', repo: 'salsita/node-pg-migrate', commit: '55b10c221bcefc1c9e41e0d32acc62849c6f71b2', clients: 'pg', dirs: ['src'] },
  { name: 'zigbee2mqtt', repo: 'Koenkk/zigbee2mqtt', commit: '6835cbf5a73116aa4bfa097f2ad0dfb972018997', clients: 'mqtt, ws, http/https, net', dirs: ['lib'], options: CJS },
  {
    name: 'bullmq',
    repo: 'taskforcesh/bullmq',
    commit: '352d3c72bf2bc5ec851630a4cdcba7d44c313ed0',
    clients: 'ioredis, redis, pg',
    dirs: ['src'],
    options: { ...CJS, strictNullChecks: false, lib: ['ES2023', 'DOM'] },
  },
  { name: 'node-ssh', repo: 'steelbrain/node-ssh', commit: '3a08c256abd2bb3e9dc9d866d0e26932810a5843', clients: 'ssh2', dirs: ['src'], options: CJS },
  {
    name: 'amqp-connection-manager',
    repo: 'jwalton/node-amqp-connection-manager',
    commit: '1f26c316fbea07952ad6db7a2f9358660440c6eb',
    clients: 'amqplib, net/tls',
    dirs: ['src'],
    options: CJS,
  },
  {
    name: 'mockttp',
    repo: 'httptoolkit/mockttp',
    commit: '0d0ac2026d89930f0fe27f134a00539416d1adcc',
    clients: 'net, tls, http/https/http2, ws, undici',
    dirs: ['src', 'custom-typings'],
    exclude: ['src/**/*.browser.ts'],
    options: { ...CJS, lib: ['ES2023', 'DOM'] },
  },
  {
    name: 'agenda',
    repo: 'agenda/agenda',
    commit: 'f9437cc22660a7752125ad6a1d5c4f7c4f70a8ef',
    clients: 'mongodb, pg, ioredis, http',
    dirs: ['packages/agenda/src', 'packages/mongo-backend/src', 'packages/postgres-backend/src', 'packages/redis-backend/src', 'packages/agenda-rest/src'],
    paths: { agenda: ['./packages/agenda/src/index.ts'] },
  },
  { name: 'proxy-chain', repo: 'apify/proxy-chain', commit: 'a9449bc4320cb238168cedae31f8651ceb213ff9', clients: 'net, tls, http/https', dirs: ['src'], options: CJS },
  {
    name: 'elastic-transport',
    repo: 'elastic/elastic-transport-js',
    commit: '167cdd86c65755460ed16f304afc9ecb18bcbdda',
    clients: 'undici, http/https',
    dirs: ['src'],
    options: { ...CJS, lib: ['ES2023', 'DOM'] },
  },
  {
    name: 'slonik',
    repo: 'gajus/slonik',
    commit: '5bc9ddd7132352eb9e761ebe1eb57b1d5d198b36',
    clients: 'pg',
    dirs: ['packages/pg-driver/src', 'packages/driver/src', 'packages/slonik/src', 'packages/errors/src', 'packages/types/src', 'packages/utilities/src', 'packages/sql-tag/src'],
    paths: { '@slonik/*': ['./packages/*/src/index.ts'], slonik: ['./packages/slonik/src/index.ts'] },
  },
  {
    name: 'mqtt-explorer',
    repo: 'thomasnordquist/MQTT-Explorer',
    commit: 'c8c12724f02ee8c75a7b46a3154262d355178b65',
    clients: 'mqtt, http',
    dirs: ['backend/src', 'src'],
    options: { ...CJS, lib: ['ES2023', 'DOM'] },
  },
  {
    name: 'mongodb-memory-server',
    repo: 'nodkz/mongodb-memory-server',
    commit: '80c7a8e4ff705db52a9bacb29e835d71acdda794',
    clients: 'mongodb, net',
    dirs: ['packages/mongodb-memory-server-core/src'],
    options: CJS,
  },
  {
    name: 'atdatabases',
    repo: 'ForbesLindesay/atdatabases',
    commit: '4b6c82c20dd097e16944ff70456a1d8707779bbb',
    clients: 'mysql2, pg',
    dirs: ['packages/mysql/src', 'packages/pg/src', 'packages/connection-pool/src', 'packages/queue/src', 'packages/shared/src', 'packages/lock/src'],
    paths: { '@databases/*': ['./packages/*/src/index.ts'] },
    options: CJS,
  },
  { name: 'redis-om-node', repo: 'redis/redis-om-node', commit: 'fe1eea9072fad7faed69a98b1885f906c46045d6', clients: 'redis (node-redis)', dirs: ['lib'], options: CJS },
  { name: 'ssh2-promise', repo: 'sanketbajoria/ssh2-promise', commit: 'b05272def4b4ac9c4575fec649d0ede078fbd2f3', clients: 'ssh2, net', dirs: ['src'], options: CJS },
];

const TEST_FILE = /(?:^|\/)(?:__tests__|tests?|spec|fixtures?)\/|\.(?:test|spec)\.[cm]?ts$/;

function parseArgs(argv) {
  const names = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--parse-only') flags['parse-only'] = true;
    else if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[++i];
    else names.push(argv[i]);
  }
  return { names, flags };
}

function selected(names) {
  if (names.length === 0) return PROJECTS;
  return names.map((n) => PROJECTS.find((p) => p.name === n) ?? fail(`unknown project ${n}`));
}

function fail(msg) {
  console.error(msg);
  process.exit(1);
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(full, out);
    } else out.push(full);
  }
  return out;
}

/** The TypeScript source files of a project that are linted (no declarations, no tests). */
export function projectFiles(project) {
  const root = path.join(PROJECTS_DIR, project.name);
  const excluded = (project.exclude ?? []).map((g) => new RegExp(`^${g.replace(/\./g, '\\.').replace(/\*\*\//g, '(?:.*/)?').replace(/\*/g, '[^/]*')}$`));
  return walk(root)
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((rel) => /\.[cm]?tsx?$/.test(rel) && !/\.d\.[cm]?ts$/.test(rel) && !TEST_FILE.test(rel) && !excluded.some((re) => re.test(rel)))
    .filter((rel) => project.dirs.some((d) => rel.startsWith(`${d}/`)))
    .sort();
}

function setup(projects, mirror) {
  fs.mkdirSync(PROJECTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(PROJECTS_DIR, 'package.json'),
    `${JSON.stringify({ name: 'socket-close-bench-projects', private: true, dependencies: CLIENT_DEPS }, null, 2)}\n`,
  );
  for (const p of projects) {
    const dest = path.join(PROJECTS_DIR, p.name);
    const gitDir = mirror ? path.join(mirror, `${p.repo.replace('/', '+')}`, 'repo') : undefined;
    if (!gitDir || !fs.existsSync(gitDir)) {
      if (fs.existsSync(dest)) {
        console.log(`${p.name}: no mirror given, keeping the extracted sources`);
        continue;
      }
      fail(`${p.name}: need a bare clone of ${p.repo} (commit ${p.commit}) at <mirror>/${p.repo.replace('/', '+')}/repo; pass --mirror <dir>`);
    }
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', p.commit, ...p.dirs], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dest], { input: tar });
    const compilerOptions = { ...BASE_OPTIONS, ...(p.options ?? {}), ...(p.paths ? { paths: p.paths } : {}) };
    const tsconfig = { compilerOptions, include: p.dirs.map((d) => `${d}/**/*`), exclude: p.exclude ?? [] };
    fs.writeFileSync(path.join(dest, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
    const files = projectFiles(p);
    const lines = files.reduce((n, f) => n + fs.readFileSync(path.join(dest, f), 'utf8').split('\n').length, 0);
    console.log(`${p.name}: ${p.repo}@${p.commit.slice(0, 12)} — ${files.length} files, ${lines} lines`);
  }
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PROJECTS_DIR, stdio: 'inherit' });
}

/** Lists the imports of client modules that do not resolve (the rules would see no client there). */
function check(projects) {
  const ts = rootRequire('typescript');
  for (const p of projects) {
    const dir = path.join(PROJECTS_DIR, p.name);
    const cfg = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const program = ts.createProgram(cfg.fileNames, cfg.options);
    const checker = program.getTypeChecker();
    const unresolved = new Map();
    let clientImports = 0;
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('node_modules')) continue;
      for (const stmt of sf.statements) {
        const spec = ts.isImportDeclaration(stmt) ? stmt.moduleSpecifier : ts.isImportEqualsDeclaration(stmt) && ts.isExternalModuleReference(stmt.moduleReference) ? stmt.moduleReference.expression : undefined;
        if (!spec || !ts.isStringLiteral(spec) || !CLIENT_MODULES.test(spec.text)) continue;
        clientImports++;
        // The module's symbol: a resolved file or an ambient `declare module` (node's built-ins).
        if (!checker.getSymbolAtLocation(spec)) unresolved.set(spec.text, (unresolved.get(spec.text) ?? 0) + 1);
      }
    }
    const missing = [...unresolved].map(([m, n]) => `${m} (${n})`).join(', ');
    console.log(`${p.name}: ${clientImports} client imports, ${missing ? `UNRESOLVED: ${missing}` : 'all resolve'}`);
    // Every `new X()` and call whose (awaited) value is a class declared by a client library or node's
    // typings: the places the rules can see a creation (what they do with it is the rules' business).
    const linted = new Set(projectFiles(p).map((f) => path.join(dir, f)));
    for (const site of clientValueSites(ts, program, checker, dir, linted)) console.log(`  ${site}`);
  }
}

const CLIENT_DECLARATION = /node_modules\/(?:@types\/node|mysql2|@types\/pg|pg|@types\/ssh2|@types\/ws|ws|ioredis|@redis\/client|redis|mqtt|@types\/amqplib|amqplib|mongodb|undici(?:-types)?)\//;

/** Class names of the clients (docs/libraries.md) and of node's sockets and servers. */
const CLIENT_CLASS = /^(?:RedisClientType|RedisClusterType|PoolConnection|PoolCluster|Socket|TLSSocket|Server|Http2Server|Http2SecureServer|ClientHttp2Session|ServerHttp2Session|Client|Pool|PoolClient|Redis|Cluster|RedisClientType|RedisClient|MqttClient|Client|ChannelModel|Channel|ConfirmChannel|Connection|MongoClient|ClientSession|Agent|ProxyAgent|BalancedPool|WebSocket|WebSocketServer|SFTPWrapper|ClientChannel)$/;

function clientValueSites(ts, program, checker, dir, linted) {
  const out = [];
  for (const sf of program.getSourceFiles()) {
    if (!linted.has(path.normalize(sf.fileName))) continue;
    const visit = (node) => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        let type = checker.getTypeAtLocation(node);
        type = checker.getAwaitedType(type) ?? type;
        // node-redis clients are intersections named by an alias (`RedisClientType`).
        const names = (type.isUnion() ? type.types : [type])
          .map((t) => t.aliasSymbol ?? t.getSymbol())
          .filter((sym) => sym && (sym.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) && sym.declarations?.some((d) => CLIENT_DECLARATION.test(d.getSourceFile().fileName)))
          // A default-exported class (mqtt's MqttClient) has the symbol name `default`: take its declared name.
          .map((sym) => sym.declarations?.find((d) => d.name)?.name?.getText() ?? sym.getName());
        const interesting = names.filter((n) => CLIENT_CLASS.test(n));
        // A method declared to return `this` (`c.on(…)`, `s.setNoDelay()`) is not a creation site.
        const declaration = checker.getResolvedSignature(node)?.getDeclaration();
        const returnsThis = declaration?.type?.kind === ts.SyntaxKind.ThisType;
        if (interesting.length && !returnsThis) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          out.push(`${path.relative(dir, sf.fileName)}:${line + 1} ${[...new Set(interesting)].join(' | ')}  ${node.getText(sf).split('\n')[0].slice(0, 70)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

async function lint(projects, jsonOut, parseOnly) {
  const { ESLint } = rootRequire('eslint');
  const plugin = loadPlugin();
  const all = [];
  for (const p of projects) {
    const dir = path.join(PROJECTS_DIR, p.name);
    if (!fs.existsSync(dir)) fail(`${p.name}: not set up; run \`node bench/projects.mjs setup --mirror <dir>\``);
    const files = projectFiles(p);
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      cache: false,
      overrideConfig: [
        {
          ...plugin.configs.recommended,
          // --parse-only: the same type-aware parse without the rules (the cost baseline).
          ...(parseOnly ? { rules: {} } : {}),
          languageOptions: { ...plugin.configs.recommended.languageOptions, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        },
        // The projects' own eslint-disable comments must not hide reports (they name other plugins' rules).
        { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' } },
      ],
    });
    const t0 = performance.now();
    const results = await eslint.lintFiles(files);
    const ms = performance.now() - t0;
    const reports = [];
    for (const r of results) {
      for (const m of r.messages) {
        // ESLint's own notes ("… has no effect because you have 'noInlineConfig'") are not reports; parse errors are.
        if (!m.ruleId && !m.fatal) continue;
        reports.push({ project: p.name, file: path.relative(dir, r.filePath), line: m.line, column: m.column, rule: m.ruleId, messageId: m.messageId ?? null, message: m.message });
      }
    }
    const lines = files.reduce((n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length, 0);
    console.log(`\n== ${p.name} (${p.repo}@${p.commit.slice(0, 12)}): ${files.length} files, ${lines} lines, ${(ms / 1000).toFixed(1)} s, ${reports.length} reports`);
    for (const r of reports) console.log(`  ${r.file}:${r.line}:${r.column} ${r.rule ?? '(fatal)'} ${r.messageId ?? ''} — ${r.message}`);
    all.push({ project: p.name, repo: p.repo, commit: p.commit, files: files.length, lines, seconds: +(ms / 1000).toFixed(2), reports });
  }
  if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(all, null, 2)}\n`);
}

const [cmd, ...rest] = process.argv.slice(2);
const { names, flags } = parseArgs(rest);
if (cmd === 'setup') setup(selected(names), flags.mirror ?? process.env.PROJECTS_MIRROR);
else if (cmd === 'check') check(selected(names));
else if (cmd === 'lint') await lint(selected(names), flags.json, 'parse-only' in flags);
else fail('usage: node bench/projects.mjs setup|check|lint [name...] (see the header of bench/projects.mjs)');
