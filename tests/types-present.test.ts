/**
 * The rule tests are only meaningful if their snippets see real types: with a broken fixture tsconfig every
 * socket would silently become an error type (`any`) and every "valid" case would pass for the wrong reason.
 * This file fails if the fixtures lose @types/node / @types/ws, shows that the same probe does fail on a
 * tsconfig without them, and type-checks every snippet of tests/rules/*.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuleTester, fixturesDir } from './rule-tester';
import noLeak from '../src/rules/no-leak';

const fixtureTsconfig = path.join(fixturesDir, 'tsconfig.json');

function loadConfig(configPath: string): ts.ParsedCommandLine {
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
}

/** Builds a program from `options` plus in-memory files (absolute path → text). */
function programWith(options: ts.CompilerOptions, files: Map<string, string>): ts.Program {
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => files.get(path.resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, shouldCreate) => {
    const text = files.get(path.resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, onError, shouldCreate);
  };
  return ts.createProgram({ rootNames: [...files.keys()], options, host });
}

interface Probe {
  /** Type text of `net.connect(...)`'s result as the checker sees it. */
  typeText: string;
  isError: boolean;
  isClass: boolean;
  hasDestroy: boolean;
  diagnostics: string[];
}

const probeFile = path.join(fixturesDir, '__types_probe__.ts');

/** Type-checks `const probe = net.connect(...)` in the fixtures directory under the compiler options of `configPath`. */
function probeSocketType(configPath: string): Probe {
  const code = "import * as net from 'node:net';\nexport const probe = net.connect(80, '127.0.0.1');\n";
  const program = programWith(loadConfig(configPath).options, new Map([[probeFile, code]]));
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(probeFile)!;
  let decl: ts.VariableDeclaration | undefined;
  sf.forEachChild(function visit(n) {
    if (ts.isVariableDeclaration(n) && n.name.getText(sf) === 'probe') decl = n;
    n.forEachChild(visit);
  });
  const type = checker.getTypeAtLocation(decl!.initializer!);
  const intrinsic = (type as { intrinsicName?: string }).intrinsicName;
  return {
    typeText: checker.typeToString(type),
    isError: (type.flags & ts.TypeFlags.Any) !== 0 && intrinsic === 'error',
    isClass: ((type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class) !== 0,
    hasDestroy: type.getProperty('destroy') !== undefined,
    diagnostics: ts
      .getPreEmitDiagnostics(program, sf)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  };
}

describe('fixture types are present', () => {
  it('tests/fixtures/tsconfig.json asks for the node types and includes file.ts', () => {
    const parsed = loadConfig(fixtureTsconfig);
    expect(parsed.errors).toEqual([]);
    expect(parsed.options.types).toContain('node');
    expect(parsed.fileNames.map((f) => path.resolve(f))).toContain(path.join(fixturesDir, 'file.ts'));
  });

  it('net.connect() is a net.Socket class instance with destroy()', () => {
    const probe = probeSocketType(fixtureTsconfig);
    expect(probe.diagnostics).toEqual([]);
    expect(probe.isError).toBe(false);
    expect(probe.typeText).toBe('Socket');
    expect(probe.isClass).toBe(true);
    expect(probe.hasDestroy).toBe(true);
  });

  it('ws resolves to WebSocket / WebSocketServer classes', () => {
    const file = path.join(fixturesDir, '__types_probe_ws__.ts');
    const code = [
      "import WebSocket, { WebSocketServer } from 'ws';",
      "export const client = new WebSocket('ws://127.0.0.1:8080');",
      'export const server = new WebSocketServer({ noServer: true });',
      '',
    ].join('\n');
    const program = programWith(loadConfig(fixtureTsconfig).options, new Map([[file, code]]));
    const sf = program.getSourceFile(file)!;
    expect(ts.getPreEmitDiagnostics(program, sf).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(sf)!);
    const typeOf = (name: string) => checker.getTypeOfSymbol(exports.find((e) => e.name === name)!);
    expect(typeOf('client').getProperty('terminate')).toBeDefined();
    expect(typeOf('server').getProperty('close')).toBeDefined();
    expect(checker.typeToString(typeOf('server'))).toMatch(/WebSocketServer|Server/);
  });

  describe('the probe can fail: the same check on a tsconfig with an empty `types`', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socket-close-types-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('makes net.connect() an error type', () => {
      const broken = path.join(dir, 'tsconfig.json');
      fs.writeFileSync(
        broken,
        JSON.stringify({ extends: fixtureTsconfig, compilerOptions: { types: [] } }, null, 2),
      );
      expect(loadConfig(broken).options.types).toEqual([]);
      const probe = probeSocketType(broken);
      expect(probe.isError).toBe(true);
      expect(probe.hasDestroy).toBe(false);
      expect(probe.diagnostics.join('\n')).toMatch(/node:net/);
    });
  });
});

/** The `ts` tagged snippets of a rule test file (raw text; indentation does not matter to the checker). */
function snippetsOf(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  sf.forEachChild(function visit(n) {
    if (ts.isTaggedTemplateExpression(n) && n.tag.getText(sf) === 'ts') {
      if (!ts.isNoSubstitutionTemplateLiteral(n.template)) throw new Error(`substitution in a snippet of ${file}`);
      out.push(n.template.rawText ?? n.template.text);
    }
    n.forEachChild(visit);
  });
  return out;
}

describe('every rule-test snippet type-checks against the fixture types', () => {
  const ruleTests = [
    'no-leak.test.ts',
    'no-use-after-close.test.ts',
    'shapes-leak.test.ts',
    'shapes-uac.test.ts',
    'try-finally.test.ts',
    'callback-creations.test.ts',
    'reconnecting-clients.test.ts',
    'triage-regressions.test.ts',
  ].map((f) => path.join(__dirname, 'rules', f));

  it('has no type errors (a type error would turn a socket into `any` and make the case meaningless)', () => {
    const files = new Map<string, string>();
    for (const testFile of ruleTests) {
      snippetsOf(testFile).forEach((code, i) => {
        files.set(path.join(fixturesDir, `__snippet_${path.basename(testFile, '.test.ts')}_${i}.ts`), code);
      });
    }
    // Guard against the extraction silently finding nothing.
    expect(files.size).toBeGreaterThan(250);
    const program = programWith(loadConfig(fixtureTsconfig).options, files);
    const problems: string[] = [];
    for (const [name, code] of files) {
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(name))) {
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const where = pos ? `${pos.line + 1}:${pos.character + 1}` : '?';
        problems.push(`${path.basename(name)} ${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}\n${code}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// A case that only types can decide: nothing in the text says `Conn` is a socket. If the fixtures lost their
// types this case would go silent and fail here.
createRuleTester().run('no-leak needs types', noLeak, {
  valid: [],
  invalid: [
    {
      code: [
        "import * as net from 'node:net';",
        'class Conn extends net.Socket {}',
        'export function open(): void {',
        '  const c = new Conn();',
        "  c.connect(80, '127.0.0.1');",
        '}',
        '',
      ].join('\n'),
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 'c', release: 'destroy()' },
              output: [
                "import * as net from 'node:net';",
                'class Conn extends net.Socket {}',
                'export function open(): void {',
                '  const c = new Conn();',
                '  try {',
                "    c.connect(80, '127.0.0.1');",
                '  } finally {',
                '    c.destroy();',
                '  }',
                '}',
                '',
              ].join('\n'),
            },
          ],
        },
      ],
    },
  ],
});
