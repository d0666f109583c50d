/**
 * Robustness: every rule of the plugin on inputs that are broken, strange or huge. A rule must never crash (an
 * exception escaping `Linter#verify`), must leave parse errors to ESLint, must explain a missing type-information
 * setup in one message, and its options schema must reject bad options with a readable message.
 */
import * as path from 'node:path';
import * as tsParser from '@typescript-eslint/parser';
import { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index';

const fixturesDir = path.join(__dirname, 'fixtures');
const ruleNames = Object.keys(plugin.rules).map((name) => `socket-close/${name}`);
const allRules = (severity: TSESLint.Linter.RuleLevel = 'error'): TSESLint.FlatConfig.Rules =>
  Object.fromEntries(ruleNames.map((r) => [r, severity]));

const typedOptions = { projectService: true, tsconfigRootDir: fixturesDir };
// A JavaScript project (allowJs, no JSDoc): its tsconfig includes plain.js. Not `allowDefaultProject`: the test
// files share one project service when vitest runs them in one process, and the first one's options would win.
const jsDir = path.join(__dirname, 'fixtures-js');

interface LintOptions {
  /** Folder of the file (default tests/fixtures). */
  dir?: string;
  /** File name inside `dir` (default `file.ts`, which the fixtures tsconfig includes). */
  file?: string;
  rules?: TSESLint.FlatConfig.Rules;
  parserOptions?: Record<string, unknown>;
}

function lint(code: string, opts: LintOptions = {}): TSESLint.Linter.LintMessage[] {
  const dir = opts.dir ?? fixturesDir;
  const linter = new TSESLint.Linter({ cwd: dir });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js'],
        languageOptions: {
          parser: tsParser,
          parserOptions: opts.parserOptions ?? { ...typedOptions, tsconfigRootDir: dir },
        },
        plugins: { 'socket-close': plugin },
        rules: opts.rules ?? allRules(),
      },
    ],
    path.join(dir, opts.file ?? 'file.ts'),
  );
}

const summary = (messages: TSESLint.Linter.LintMessage[]): string[] =>
  messages.map((m) => `${m.ruleId}:${m.messageId}@${m.line}:${m.column}`).sort();

const IMPORT = "import * as net from 'node:net';\n";

describe('files that do not parse', () => {
  const broken = [
    'function f( {',
    `${IMPORT}function f() { const s = net.connect(1); s.write('x' }`,
    'const = ;',
    "const s = 'unterminated",
    'class { }',
    '<<<<<<< HEAD\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> branch',
    `${IMPORT}async function f() { for await (const x of ) {} }`,
  ];
  it.each(broken)('reports ESLint’s parse error, not a rule crash: %s', (code) => {
    const messages = lint(code);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.fatal).toBe(true);
    expect(messages[0]!.ruleId).toBeNull();
    expect(messages[0]!.message).toMatch(/^Parsing error: /);
  });
});

describe('code full of type errors', () => {
  it('analyses it without crashing and still finds the leak', () => {
    const code = [
      IMPORT.trimEnd(),
      'import * as missing from "no-such-module";',
      'export function f(x: number) {',
      '  const s = net.connect("port", 1, 2, 3);',
      '  const t: string = net.connect(1);',
      '  s.write(42, 43, 44, 45, 46);',
      '  undefinedVariable.end();',
      '  missing.connect().end();',
      '  s.notAMethod();',
      '  x.write("x");',
      '  const y: number = "not a number";',
      '  return s.end(1, 2, 3, 4, 5) + t + y;',
      '}',
    ].join('\n');
    let messages: TSESLint.Linter.LintMessage[] = [];
    expect(() => (messages = lint(code))).not.toThrow();
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    // `t` (line 5) holds a socket that is never released, whatever its declared type says.
    expect(summary(messages)).toContain('socket-close/no-leak:leak@5:21');
  });
});

describe('size and depth', () => {
  // No wall-time assertion here (speed is measured in bench/, not asserted in unit tests); a hang is caught by the
  // test timeout.
  it('a function of 5,000 statements: one leak, one use after release, no fatal message', () => {
    const lines = [IMPORT.trimEnd(), 'export function huge(n: number): void {', "  const s = net.connect(1, '127.0.0.1');"];
    lines.push("  const t = net.connect(2, '127.0.0.1');");
    for (let i = 0; i < 4994; i++) lines.push(i % 3 === 0 ? `  if (n > ${i}) s.write('x');` : `  s.write('${i}');`);
    lines.push('  s.end();', "  s.write('late');", '}');
    const messages = lint(lines.join('\n'));
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    // line 4: t is never released; the late write is on line 5,000 + 4 - 1
    expect(summary(messages)).toEqual([
      `socket-close/no-leak:leak@4:13`,
      `socket-close/no-use-after-close:useAfterRelease@${lines.length - 1}:3`,
    ]);
  });

  it('a long function with branches, loops and try blocks: sockets made deep inside it are seen', () => {
    // Asking TypeScript for the flow-narrowed type of a reference near the end of such a function (the release of the
    // socket made at its top) walks its control flow back to the declaration and reaches the checker's depth limit,
    // after which the function's later calls have no type and the sockets made there went unseen.
    const lines = [IMPORT.trimEnd(), 'export function generated(flag: number, port: number): number {', '  let total = 0;'];
    lines.push("  const s0 = net.connect(port, '127.0.0.1');", '  try {');
    const block = (i: number): string[] => [
      `    let v${i} = total + ${i};`,
      `    if (v${i} > flag) { total += v${i}; } else if (v${i} === flag) { total -= 1; } else { total ^= ${i + 1}; }`,
      `    for (let j = 0; j < 4; j++) { if (j === flag) { break; } total += j; }`,
      `    try { total += v${i}; } finally { total -= 3; }`,
      `    while (total > ${i + 1000}) { total >>= 1; }`,
    ];
    for (let i = 0; i < 700; i++) lines.push(...block(i));
    lines.push("    const s1 = net.connect(port, '127.0.0.1');");
    const made = lines.length;
    lines.push("    s1.write('x');", '    if (flag === -1) { return total; }', '    s1.end();');
    lines.push("    s1.write('late');");
    const late = lines.length;
    for (let i = 700; i < 900; i++) lines.push(...block(i));
    lines.push('  } finally {', '    s0.destroy();', '  }', '  return total;', '}');
    const messages = lint(lines.join('\n'));
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(summary(messages)).toEqual([`socket-close/no-leak:leak@${made}:16`, `socket-close/no-use-after-close:useAfterRelease@${late}:5`]);
  });

  it('a function nested 200 levels deep: one leak (release only on the innermost level), one use after release', () => {
    const depth = 200;
    const lines = [IMPORT.trimEnd(), 'export function deep(c: boolean[], xs: number[]): void {'];
    lines.push("  const s = net.connect(1, '127.0.0.1');");
    for (let i = 0; i < depth; i++) {
      const pad = ' '.repeat(2 + i);
      lines.push(i % 4 === 3 ? `${pad}for (const x${i} of xs) {` : i % 2 === 0 ? `${pad}if (c[${i}]) {` : `${pad}try {`);
    }
    lines.push(`${' '.repeat(2 + depth)}s.write('x');`, `${' '.repeat(2 + depth)}s.destroy();`);
    for (let i = depth - 1; i >= 0; i--) {
      const pad = ' '.repeat(2 + i);
      lines.push(i % 4 === 3 || i % 2 === 0 ? `${pad}}` : `${pad}} finally {}`);
    }
    lines.push('}');
    let messages: TSESLint.Linter.LintMessage[] = [];
    expect(() => (messages = lint(lines.join('\n')))).not.toThrow();
    // the write sits inside `for…of` loops: a later iteration writes to the socket an earlier one destroyed
    const inner = 3 + depth + 1;
    expect(summary(messages)).toEqual([
      'socket-close/no-leak:leak@3:13',
      `socket-close/no-use-after-close:useAfterRelease@${inner}:${2 + depth + 1}`,
    ]);
  });
});

describe('any-typed and union-typed sockets', () => {
  it('an any-typed value is not a socket: no report, no crash', () => {
    const code = `export function f(s: any, t: any) {\n  s.end();\n  s.write('x');\n  t.destroy().foo.bar();\n  return s.connect(t);\n}\n`;
    expect(summary(lint(code))).toEqual([]);
  });

  it('a union of socket kinds is tracked as a socket', () => {
    const code = [
      IMPORT.trimEnd(),
      "import * as tls from 'node:tls';",
      'export function f(c: boolean): void {',
      "  const s: net.Socket | tls.TLSSocket = c ? net.connect(1, '127.0.0.1') : tls.connect(1, '127.0.0.1');",
      '  s.end();',
      "  s.write('x');",
      '}',
    ].join('\n');
    const messages = lint(code);
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(summary(messages)).toEqual(['socket-close/no-use-after-close:useAfterRelease@6:3']);
  });

  it('a socket-or-undefined union (optional socket) is tracked through `?.`', () => {
    const code = [
      IMPORT.trimEnd(),
      'export function f(c: boolean): void {',
      "  const s: net.Socket | undefined = c ? net.connect(1, '127.0.0.1') : undefined;",
      '  s?.destroy();',
      "  s?.write('x');",
      '}',
    ].join('\n');
    let messages: TSESLint.Linter.LintMessage[] = [];
    expect(() => (messages = lint(code))).not.toThrow();
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(summary(messages).filter((s) => s.includes('no-leak'))).toEqual([]);
  });
});

describe('JavaScript file without JSDoc', () => {
  it('types come from inference alone; the rules run without crashing', () => {
    const code = [
      "const net = require('node:net');",
      'function f(port) {',
      "  const s = net.connect(port, '127.0.0.1');",
      '  s.end();',
      "  s.write('x');",
      '}',
      'module.exports = { f };',
    ].join('\n');
    const messages = lint(code, { dir: jsDir, file: 'plain.js' });
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(summary(messages)).toEqual(['socket-close/no-use-after-close:useAfterRelease@5:3']);
  });
});

describe('no type information', () => {
  it.each(ruleNames)('%s reports noTypeInfo once, naming parserOptions.projectService', (rule) => {
    const code = `${IMPORT}export function f() {\n  const s = net.connect(1);\n  s.write('x');\n}\n`;
    const messages = lint(code, { rules: { [rule]: 'error' }, parserOptions: {} });
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m!.ruleId).toBe(rule);
    expect(m!.messageId).toBe('noTypeInfo');
    expect([m!.line, m!.column]).toEqual([1, 1]);
    expect(m!.message).toContain('parserOptions.projectService');
    expect(m!.message).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('invalid options are rejected by the schema', () => {
  // ESLint (ajv) words it: Key "rules": Key "<rule>":\n\tValue "yes" should be boolean.
  const cases: [string, unknown, RegExp][] = [
    ['socket-close/no-leak', { checkModuleScope: 'yes' }, /Value "yes" should be boolean/],
    ['socket-close/no-leak', { endIsRelease: 1 }, /Value 1 should be boolean/],
    ['socket-close/no-use-after-close', { reportDoubleRelease: 'sometimes' }, /Value "sometimes" should be boolean/],
    ['socket-close/no-use-after-close', { checkUnrelatedListeners: null }, /Value null should be boolean/],
    ...ruleNames.map((r): [string, unknown, RegExp] => [r, { notAnOption: true }, /Unexpected property "notAnOption"/]),
    ...ruleNames.map((r): [string, unknown, RegExp] => [r, 'yes', /Value "yes" should be object/]),
  ];
  it.each(cases)('%s with %j', (rule, option, detail) => {
    let error: unknown;
    try {
      lint('const x = 1;\n', { rules: { [rule]: ['error', option] } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`Key "${rule}"`);
    expect(message).toMatch(detail);
    expect(message).not.toMatch(/\n\s+at /); // a configuration message, not a stack trace
  });

  it.each(ruleNames)('%s accepts an empty options object', (rule) => {
    expect(() => lint('const x = 1;\n', { rules: { [rule]: ['error', {}] } })).not.toThrow();
  });
});
