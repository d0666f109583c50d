/**
 * The small leaking project shared by the integration tests (language server, SARIF, packed tarball).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');

/** `f` leaks the socket on the path that returns early: exactly one `no-leak` at the `net.connect(...)` call. */
export const LEAKY_SOURCE = [
  "import * as net from 'node:net';",
  '',
  'export function f(p: number): void {',
  "  const s = net.connect(p, '127.0.0.1');",
  '  if (p > 1) return;',
  '  s.end();',
  '}',
  '',
].join('\n');

/** 1-based position of the `net.connect(...)` call in LEAKY_SOURCE (where `no-leak` reports). */
export const LEAK_LINE = 4;
export const LEAK_COLUMN = 13;

/** LEAKY_SOURCE with the socket released on every path: no diagnostics. */
export const FIXED_SOURCE = [
  "import * as net from 'node:net';",
  '',
  'export function f(p: number): void {',
  "  const s = net.connect(p, '127.0.0.1');",
  '  try {',
  '    if (p > 1) return;',
  '  } finally {',
  '    s.end();',
  '  }',
  '}',
  '',
].join('\n');

/** `g` writes to the socket after `end()`: exactly one `no-use-after-close` at the `s.write(...)` call. */
export const USE_AFTER_CLOSE_SOURCE = [
  "import * as net from 'node:net';",
  '',
  'export function g(port: number): void {',
  "  const s = net.connect(port, '127.0.0.1');",
  '  s.end();',
  "  s.write('late');",
  '}',
  '',
].join('\n');

/** 1-based position of the `s.write(...)` call in USE_AFTER_CLOSE_SOURCE. */
export const USE_LINE = 6;
export const USE_COLUMN = 3;

export const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['ES2022', 'esnext.disposable'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['**/*.ts'],
};

/** A fresh directory under the OS temp dir, with symlinks resolved (paths compare equal to what tools print). */
export function makeTempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/**
 * A flat config (ESM) that enables the plugin's recommended rules on *.ts with typed linting through
 * `projectService`. `pluginSpecifier` / `parserSpecifier` are whatever `import` accepts (package name or file URL).
 */
export function flatConfigMjs(pluginSpecifier: string, parserSpecifier: string): string {
  return [
    `import socketClose from ${JSON.stringify(pluginSpecifier)};`,
    `import tsParser from ${JSON.stringify(parserSpecifier)};`,
    '',
    'export default [',
    '  {',
    "    files: ['**/*.ts'],",
    '    languageOptions: {',
    '      parser: tsParser,',
    '      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },',
    '    },',
    "    plugins: { 'socket-close': socketClose },",
    "    rules: { 'socket-close/no-leak': 'error', 'socket-close/no-use-after-close': 'error' },",
    '  },',
    '];',
    '',
  ].join('\n');
}

/** The same config as CommonJS (`eslint.config.cjs`) using `configs.recommended`. */
export function flatConfigCjs(pluginSpecifier: string, parserSpecifier: string): string {
  return [
    `const socketClose = require(${JSON.stringify(pluginSpecifier)});`,
    `const tsParser = require(${JSON.stringify(parserSpecifier)});`,
    '',
    'module.exports = [',
    '  {',
    "    files: ['**/*.ts'],",
    '    languageOptions: {',
    '      parser: tsParser,',
    '      parserOptions: { projectService: true, tsconfigRootDir: __dirname },',
    '    },',
    '  },',
    "  { files: ['**/*.ts'], ...socketClose.configs.recommended },",
    '];',
    '',
  ].join('\n');
}
