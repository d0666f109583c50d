/**
 * Differential harness: lints generated programs with the plugin's rules, with full type information, and
 * compares the messages with the oracle's expectations.
 *
 * Speed: instead of a project service, one `ts.Program` per program is built over a single in-memory file with a
 * compiler host that caches every other source file (lib.*.d.ts, @types/node) and reuses the previous program
 * (`oldProgram`), and is handed to `@typescript-eslint/parser` through `parserOptions.programs`.
 *
 * The plugin is a parameter so that the same harness serves vitest (src/) and `scripts/fuzz.mjs` (dist/).
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import * as tsParser from '@typescript-eslint/parser';
import { TSESLint } from '@typescript-eslint/utils';
import type { FuzzProgram } from './ast';
import { runOracle } from './oracle';
import { printProgram } from './printer';

/** The plugin under test: src/index.ts (vitest), dist/ or a snapshot of it (`npm run fuzz`), or stand-in rules. */
export type PluginLike = TSESLint.FlatConfig.Plugin;

export interface Diagnostic {
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
}

export const RULES = ['socket-close/no-leak', 'socket-close/no-use-after-close'] as const;

export function diagKey(d: Diagnostic): string {
  return `${d.ruleId}:${d.messageId}@${d.line}:${d.column}`;
}

/** Lints in-memory TypeScript files with type information from tests/fixtures/tsconfig.json's options. */
export class TypedLinter {
  readonly fileName: string;
  private readonly options: ts.CompilerOptions;
  private readonly host: ts.CompilerHost;
  private readonly cache = new Map<string, ts.SourceFile | undefined>();
  private readonly linter: TSESLint.Linter;
  private code = '';
  private current: ts.SourceFile | undefined;
  private program: ts.Program | undefined;

  constructor(
    private readonly plugin: PluginLike,
    fixturesDir: string,
    private readonly rules: TSESLint.FlatConfig.Rules = Object.fromEntries(RULES.map((r) => [r, 'error'])),
  ) {
    const configPath = path.join(fixturesDir, 'tsconfig.json');
    const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
    if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
    this.options = ts.parseJsonConfigFileContent(config.config, ts.sys, fixturesDir).options;
    this.fileName = path.join(fixturesDir, '__fuzz_input__.ts').split(path.sep).join('/');
    const base = ts.createCompilerHost(this.options, true);
    const isInput = (f: string): boolean => path.resolve(f) === path.resolve(this.fileName);
    this.host = {
      ...base,
      fileExists: (f) => isInput(f) || base.fileExists(f),
      readFile: (f) => (isInput(f) ? this.code : base.readFile(f)),
      getSourceFile: (f, lang, onError, shouldCreate) => {
        if (isInput(f)) {
          this.current ??= ts.createSourceFile(f, this.code, lang, true);
          return this.current;
        }
        if (!this.cache.has(f)) this.cache.set(f, base.getSourceFile(f, lang, onError, shouldCreate));
        return this.cache.get(f);
      },
    };
    this.linter = new TSESLint.Linter({ cwd: fixturesDir });
  }

  /** Builds (or rebuilds) the program for `code`. */
  private programFor(code: string): ts.Program {
    if (code !== this.code || !this.program) {
      this.code = code;
      this.current = undefined;
      this.program = ts.createProgram({
        rootNames: [this.fileName],
        options: this.options,
        host: this.host,
        oldProgram: this.program,
      });
    }
    return this.program;
  }

  /** TypeScript's own errors (syntactic + semantic) for `code`. */
  typeErrors(code: string): string[] {
    const program = this.programFor(code);
    const sf = program.getSourceFile(this.fileName)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const pos = d.start === undefined ? '' : `${sf.getLineAndCharacterOfPosition(d.start).line + 1}: `;
      return pos + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
  }

  lint(code: string): TSESLint.Linter.LintMessage[] {
    const program = this.programFor(code);
    return this.linter.verify(
      code,
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser, parserOptions: { programs: [program] } },
          plugins: { 'socket-close': this.plugin },
          rules: this.rules,
        },
      ],
      this.fileName,
    );
  }
}

export interface Verdict {
  program: FuzzProgram;
  code: string;
  expected: Diagnostic[];
  actual: Diagnostic[];
  /** Messages that are not rule diagnostics: parse errors or rule crashes. */
  fatal: string[];
  agree: boolean;
}

export function expectedDiagnostics(program: FuzzProgram, printed = printProgram(program)): Diagnostic[] {
  const o = runOracle(program);
  const out: Diagnostic[] = [];
  for (const site of o.leaks) {
    out.push({ ruleId: RULES[0], messageId: 'leak', ...printed.creations.get(site)! });
  }
  for (const site of o.useAfterRelease) {
    out.push({ ruleId: RULES[1], messageId: 'useAfterRelease', ...printed.uses.get(site)! });
  }
  return sortDiags(out);
}

function sortDiags(d: Diagnostic[]): Diagnostic[] {
  return d.sort((a, b) => a.line - b.line || a.column - b.column || diagKey(a).localeCompare(diagKey(b)));
}

export function check(linter: TypedLinter, program: FuzzProgram): Verdict {
  const printed = printProgram(program);
  const expected = expectedDiagnostics(program, printed);
  const messages = linter.lint(printed.code);
  const fatal = messages.filter((m) => m.fatal || !m.ruleId || !m.messageId).map((m) => `${m.line}:${m.column} ${m.message}`);
  const actual = sortDiags(
    messages
      .filter((m) => !(m.fatal || !m.ruleId || !m.messageId))
      .map((m) => ({ ruleId: m.ruleId!, messageId: m.messageId!, line: m.line, column: m.column })),
  );
  const e = new Set(expected.map(diagKey));
  const a = new Set(actual.map(diagKey));
  const agree = fatal.length === 0 && e.size === a.size && [...e].every((k) => a.has(k));
  return { program, code: printed.code, expected, actual, fatal, agree };
}

/** A readable account of a disagreement: numbered program, expected, actual, missing and unexpected. */
export function describe(v: Verdict, seed?: number): string {
  const e = new Set(v.expected.map(diagKey));
  const a = new Set(v.actual.map(diagKey));
  const numbered = v.code
    .trimEnd()
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(3)} | ${l}`)
    .join('\n');
  const list = (d: Diagnostic[]): string => (d.length === 0 ? '  (none)' : d.map((x) => `  ${diagKey(x)}`).join('\n'));
  return [
    seed === undefined ? 'Disagreement' : `Disagreement (seed ${seed})`,
    numbered,
    'expected (oracle):',
    list(v.expected),
    'actual (rules):',
    list(v.actual),
    `missing:    ${[...e].filter((k) => !a.has(k)).join(', ') || '-'}`,
    `unexpected: ${[...a].filter((k) => !e.has(k)).join(', ') || '-'}`,
    ...(v.fatal.length > 0 ? ['fatal/crash:', ...v.fatal.map((f) => `  ${f}`)] : []),
  ].join('\n');
}
