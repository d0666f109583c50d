/**
 * Every TypeScript example in the user documentation is checked against the rules as they are implemented.
 *
 * In docs/rules/*.md and docs/ownership-model.md every ```ts block must be preceded by one of these comments:
 *
 *   <!-- incorrect -->   the rule reports exactly on the lines marked with a trailing `// ❌ <messageId>` comment
 *                        (every report of the rule must be marked, and every marker must be reported)
 *   <!-- correct -->     neither rule of the plugin reports anything
 *   <!-- suggestion=<messageId> -->
 *                        the text of the file after applying that suggestion of the report in the preceding
 *                        `incorrect` block (whose `// ❌` marker comments are removed first)
 *
 * Attributes, on `incorrect` and `correct`: `rule=<name>` (default: the page's rule; required on
 * docs/ownership-model.md), `options=<JSON object>` (options of that rule), `suggestions=<id,id|none>` (the exact
 * set of suggestions every report of the block offers), `types=none` (lint without type information).
 *
 * Every snippet is also type-checked against @types/node and @types/ws, so that no example passes because a socket
 * degraded to an error type.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from './rule-tester';
import noLeak from '../src/rules/no-leak';
import noUseAfterClose from '../src/rules/no-use-after-close';

const root = path.join(__dirname, '..');
const rules = { 'no-leak': noLeak, 'no-use-after-close': noUseAfterClose } as const;
type RuleName = keyof typeof rules;
const ruleNames = Object.keys(rules) as RuleName[];

const DOCS: Array<{ file: string; rule: RuleName | undefined }> = [
  { file: 'docs/rules/no-leak.md', rule: 'no-leak' },
  { file: 'docs/rules/no-use-after-close.md', rule: 'no-use-after-close' },
  { file: 'docs/ownership-model.md', rule: undefined },
];

type Mode = 'correct' | 'incorrect' | 'suggestion';

interface Example {
  doc: string;
  /** 1-based line of the fence in the markdown file, for messages. */
  docLine: number;
  mode: Mode;
  rule: RuleName;
  options: Record<string, unknown> | undefined;
  suggestions: string[] | undefined;
  suggestionId: string | undefined;
  noTypes: boolean;
  code: string;
  /** For a suggestion block: the incorrect block it applies to. */
  source: Example | undefined;
}

const MARKER = /<!--\s*(correct|incorrect|suggestion)\b(.*?)-->/;
const FENCE_OPEN = /^(\s*)```(\w*)\s*$/;
const REPORT_MARK = /❌\s*([A-Za-z]+)/g;

function parseAttributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /(\w+)=(\{.*?\}(?=\s|$)|\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) attrs.set(m[1]!, m[2]!);
  return attrs;
}

function parseDoc(file: string, pageRule: RuleName | undefined): { examples: Example[]; problems: string[] } {
  const lines = fs.readFileSync(path.resolve(root, file), 'utf8').split('\n');
  const examples: Example[] = [];
  const problems: string[] = [];
  let pending: { mode: Mode; attrs: Map<string, string>; line: number } | undefined;
  let lastIncorrect: Example | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const marker = MARKER.exec(text);
    if (marker) {
      if (pending) problems.push(`${file}:${pending.line}: marker without a \`\`\`ts block after it`);
      pending = { mode: marker[1] as Mode, attrs: parseAttributes(`${marker[1]}${marker[2] ?? ''}`), line: i + 1 };
      continue;
    }
    const fence = FENCE_OPEN.exec(text);
    if (!fence) {
      if (pending && text.trim() !== '') {
        problems.push(`${file}:${pending.line}: marker not directly followed by a \`\`\`ts block`);
        pending = undefined;
      }
      continue;
    }
    // Find the closing fence.
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    // A fence indented inside a list item: its indentation is not part of the code.
    const indent = fence[1]!.length;
    const code = lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))).join('\n') + '\n';
    const lang = fence[2];
    const fenceLine = i + 1;
    i = end;
    if (lang !== 'ts') {
      if (pending) problems.push(`${file}:${pending.line}: marker before a \`\`\`${lang} block (only ts is checked)`);
      pending = undefined;
      continue;
    }
    if (!pending) {
      problems.push(`${file}:${fenceLine}: \`\`\`ts block without a correct/incorrect/suggestion marker`);
      continue;
    }
    const { mode, attrs } = pending;
    pending = undefined;
    const ruleAttr = attrs.get('rule');
    const rule = (ruleAttr ?? (mode === 'suggestion' ? lastIncorrect?.rule : pageRule)) as RuleName | undefined;
    if (!rule || !ruleNames.includes(rule)) {
      problems.push(`${file}:${fenceLine}: unknown or missing rule (${String(ruleAttr)})`);
      continue;
    }
    let options: Record<string, unknown> | undefined;
    const optionsText = attrs.get('options');
    if (optionsText) {
      try {
        options = JSON.parse(optionsText) as Record<string, unknown>;
      } catch {
        problems.push(`${file}:${fenceLine}: options are not JSON: ${optionsText}`);
        continue;
      }
    }
    const suggestionsAttr = attrs.get('suggestions');
    const example: Example = {
      doc: file,
      docLine: fenceLine,
      mode,
      rule,
      options,
      suggestions: suggestionsAttr === undefined ? undefined : suggestionsAttr === 'none' ? [] : suggestionsAttr.split(','),
      suggestionId: mode === 'suggestion' ? attrs.get('suggestion') : undefined,
      noTypes: attrs.get('types') === 'none',
      code,
      source: mode === 'suggestion' ? lastIncorrect : undefined,
    };
    if (mode === 'suggestion') {
      if (!example.suggestionId || !example.source) {
        problems.push(`${file}:${fenceLine}: a suggestion block needs an id and a preceding incorrect block`);
        continue;
      }
    }
    if (mode === 'incorrect') lastIncorrect = example;
    examples.push(example);
  }
  if (pending) problems.push(`${file}:${pending.line}: marker at the end of the file`);
  return { examples, problems };
}

function lint(code: string, rule: RuleName, options: Record<string, unknown> | undefined, noTypes: boolean): Linter.LintMessage[] {
  const linter = new Linter({ cwd: fixturesDir });
  const ruleConfig: Record<string, Linter.RuleEntry> = {};
  for (const name of ruleNames) {
    // Set-up problems (no type information) are reported once per file, by the first rule that is on: an
    // example about them runs its page's rule alone.
    if (noTypes && name !== rule) continue;
    ruleConfig[`socket-close/${name}`] = name === rule && options ? ['error', options] : 'error';
  }
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tsParser as never,
          parserOptions: noTypes ? {} : { projectService: true, tsconfigRootDir: fixturesDir },
        },
        plugins: { 'socket-close': { rules: rules as never } },
        rules: ruleConfig,
      },
    ],
    path.join(fixturesDir, 'file.ts'),
  );
}

/** `❌ id` markers by line (1-based). */
function markers(code: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  code.split('\n').forEach((text, index) => {
    const comment = text.indexOf('//');
    if (comment < 0) return;
    for (const m of text.slice(comment).matchAll(REPORT_MARK)) out.push([index + 1, m[1]!]);
  });
  return out;
}

/** The example as a user would have it: without the `// ❌ …` marker comments. */
function stripMarkers(code: string): string {
  return code.replace(/[ \t]*\/\/[ \t]*❌.*$/gm, '');
}

const byLine = (a: [number, string], b: [number, string]): number => a[0] - b[0] || a[1].localeCompare(b[1]);

function applySuggestion(code: string, fix: { range: [number, number]; text: string }): string {
  return code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1]);
}

const parsed = DOCS.map(({ file, rule }) => ({ file, rule, ...parseDoc(file, rule) }));
const allExamples = parsed.flatMap((p) => p.examples);

describe('documentation examples', () => {
  it('every ```ts block of the docs carries a well-formed marker', () => {
    expect(parsed.flatMap((p) => p.problems)).toEqual([]);
  });

  it('every page has correct and incorrect examples', () => {
    for (const p of parsed) {
      expect(p.examples.filter((e) => e.mode === 'correct').length, p.file).toBeGreaterThan(0);
      expect(p.examples.filter((e) => e.mode === 'incorrect').length, p.file).toBeGreaterThan(0);
    }
  });

  it('every example type-checks against @types/node and @types/ws', () => {
    const read = ts.readConfigFile(path.join(fixturesDir, 'tsconfig.json'), (f) => ts.sys.readFile(f));
    const options = ts.parseJsonConfigFileContent(read.config, ts.sys, fixturesDir).options;
    const files = new Map<string, string>();
    allExamples.forEach((e, i) => {
      files.set(path.join(fixturesDir, `__doc_example_${i}__.ts`), e.code);
    });
    const host = ts.createCompilerHost(options, true);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => files.has(path.resolve(f)) || fileExists.call(host, f);
    host.readFile = (f) => files.get(path.resolve(f)) ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, onError, create) => {
      const text = files.get(path.resolve(f));
      return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, onError, create);
    };
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    const errors: string[] = [];
    allExamples.forEach((e, i) => {
      const sf = program.getSourceFile(path.join(fixturesDir, `__doc_example_${i}__.ts`))!;
      for (const d of ts.getPreEmitDiagnostics(program, sf)) {
        const { line } = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: -1 };
        errors.push(`${e.doc}:${e.docLine} (snippet line ${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    });
    expect(errors).toEqual([]);
  }, 120_000);

  for (const p of parsed) {
    describe(p.file, () => {
      for (const e of p.examples) {
        const title = `${e.mode} example at line ${e.docLine} (${e.rule}${e.options ? ` ${JSON.stringify(e.options)}` : ''})`;
        if (e.mode === 'correct') {
          it(title, () => {
            expect(markers(e.code), 'a correct example has no ❌ markers').toEqual([]);
            const messages = lint(e.code, e.rule, e.options, e.noTypes);
            expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? 'parser'} ${m.messageId ?? ''} ${m.message}`)).toEqual([]);
          });
        } else if (e.mode === 'incorrect') {
          it(title, () => {
            const expected = markers(e.code).sort(byLine);
            expect(expected.length, 'an incorrect example marks at least one report').toBeGreaterThan(0);
            const messages = lint(e.code, e.rule, e.options, e.noTypes);
            expect(messages.filter((m) => !m.ruleId), 'parse errors').toEqual([]);
            const own = messages.filter((m) => m.ruleId === `socket-close/${e.rule}`);
            expect(own.map((m): [number, string] => [m.line, m.messageId ?? '']).sort(byLine)).toEqual(expected);
            if (e.suggestions) {
              for (const m of own) expect((m.suggestions ?? []).map((s) => s.messageId).sort()).toEqual([...e.suggestions].sort());
            }
          });
        } else {
          it(`${title}: the output of ${e.suggestionId}`, () => {
            const source = e.source!;
            const sourceCode = stripMarkers(source.code);
            const messages = lint(sourceCode, source.rule, source.options, source.noTypes).filter(
              (m) => m.ruleId === `socket-close/${source.rule}`,
            );
            const offered = messages.flatMap((m) => (m.suggestions ?? []).filter((s) => s.messageId === e.suggestionId));
            expect(offered.length, `exactly one ${e.suggestionId} suggestion in the example above`).toBe(1);
            expect(applySuggestion(sourceCode, offered[0]!.fix)).toBe(e.code);
          });
        }
      }
    });
  }

  describe('coverage of the rule pages', () => {
    for (const name of ruleNames) {
      const page = parsed.find((p) => p.rule === name)!;
      const meta = rules[name].meta;
      it(`${name}: every message is shown by an incorrect example`, () => {
        const shown = new Set(page.examples.filter((e) => e.mode === 'incorrect').flatMap((e) => markers(e.code).map(([, id]) => id)));
        // missingTypes needs a project without Node's types: tests/setup-diagnostics.test.ts shows it.
        const ids = Object.keys(meta.messages).filter((id) => !id.startsWith('suggest') && id !== 'missingTypes');
        expect(ids.filter((id) => !shown.has(id))).toEqual([]);
      });
      it(`${name}: every option is used by an example`, () => {
        const schema = (meta.schema as unknown as ReadonlyArray<{ properties?: Record<string, unknown> }>)[0];
        const used = new Set(page.examples.flatMap((e) => Object.keys(e.options ?? {})));
        expect(Object.keys(schema?.properties ?? {}).filter((o) => !used.has(o))).toEqual([]);
      });
      it(`${name}: every suggestion is shown with its output`, () => {
        const ids = Object.keys(meta.messages).filter((id) => id.startsWith('suggest'));
        const shown = new Set(page.examples.filter((e) => e.mode === 'suggestion').map((e) => e.suggestionId));
        expect(ids.filter((id) => !shown.has(id))).toEqual([]);
      });
    }
  });
});

// The checks above must be able to fail: the same machinery on examples that are wrong on purpose.
describe('the example checker notices wrong examples', () => {
  const leaky = "import * as net from 'node:net';\nexport function f(): void {\n  const s = net.connect(80, '127.0.0.1');\n  s.write('x');\n}\n";
  it('a leaking snippet is reported on the line a marker would name', () => {
    const own = lint(leaky, 'no-leak', undefined, false).filter((m) => m.ruleId === 'socket-close/no-leak');
    expect(own.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
  });
  it('markers are read from comments only, with their line', () => {
    expect(markers("const a = 1; // ❌ leak\nconst b = '❌ x';\nfoo(); // ❌ leak ❌ fieldOverwritten\n")).toEqual([
      [1, 'leak'],
      [3, 'leak'],
      [3, 'fieldOverwritten'],
    ]);
  });
  it('an unmarked ts block and a marker without a block are problems', () => {
    const tmp = path.join(os.tmpdir(), `docs-examples-probe-${process.pid}.md`);
    fs.writeFileSync(tmp, '# x\n\n```ts\nconst a = 1;\n```\n\n<!-- correct -->\n\ntext\n');
    try {
      const { problems } = parseDoc(tmp, 'no-leak');
      expect(problems).toHaveLength(2);
    } finally {
      fs.rmSync(tmp);
    }
  });
});
