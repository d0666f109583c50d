/**
 * Set-up problems are named, once per file: a file parsed without type information gets one `noTypeInfo`, a file
 * whose socket modules' types do not resolve (TypeScript 6's default `"types": []`, or no @types/node) gets one
 * `missingTypes` that says what to install and what to put in `compilerOptions.types`.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import plugin from '../src/index';
import { fixturesDir } from './rule-tester';

const noTypesDir = path.join(__dirname, 'fixtures-no-types');

function lint(code: string, dir: string, opts: { types: boolean; rules?: string[] }): Linter.LintMessage[] {
  const linter = new Linter({ cwd: dir });
  const names = opts.rules ?? ['no-leak', 'no-use-after-close'];
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tsParser,
          parserOptions: opts.types ? { projectService: true, tsconfigRootDir: dir } : {},
        },
        plugins: { 'socket-close': plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
        rules: Object.fromEntries(names.map((n) => [`socket-close/${n}`, 'error' as const])),
      },
    ],
    path.join(dir, 'file.ts'),
  );
}

const BUGGY = [
  "import * as net from 'node:net';",
  'export function f(port: number): void {',
  "  const s = net.connect(port, '127.0.0.1');",
  '  s.end();',
  "  s.write('late');",
  '}',
  '',
].join('\n');

describe('missing Node types', () => {
  it('reports one missingTypes per file, naming @types/node and compilerOptions.types', () => {
    const messages = lint(BUGGY, noTypesDir, { types: true });
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column])).toEqual([['socket-close/no-leak', 'missingTypes', 1, 1]]);
    expect(messages[0]?.message).toContain("'node:net'");
    expect(messages[0]?.message).toContain('npm i -D @types/node');
    expect(messages[0]?.message).toContain('"node" to compilerOptions.types');
  });

  it('is reported by no-use-after-close when no-leak is off', () => {
    const messages = lint(BUGGY, noTypesDir, { types: true, rules: ['no-use-after-close'] });
    expect(messages.map((m) => [m.ruleId, m.messageId])).toEqual([['socket-close/no-use-after-close', 'missingTypes']]);
  });

  it('names require() of a bare module too', () => {
    const code = "const dgram = require('dgram');\nexport const s = dgram.createSocket('udp4');\n";
    const messages = lint(code, noTypesDir, { types: true });
    expect(messages.map((m) => m.messageId)).toEqual(['missingTypes']);
    expect(messages[0]?.message).toContain("'dgram'");
  });

  it('says nothing about a file that imports no socket module', () => {
    expect(lint("import * as fs from 'node:fs';\nexport const x = fs;\n", noTypesDir, { types: true })).toEqual([]);
  });

  it('says nothing when the types resolve (and the bugs are reported instead)', () => {
    const ids = lint(BUGGY, fixturesDir, { types: true }).map((m) => m.messageId);
    expect(ids).not.toContain('missingTypes');
    expect(ids).toContain('useAfterRelease');
  });
});

describe('no type information', () => {
  it('reports noTypeInfo once per file, not once per rule', () => {
    const messages = lint(BUGGY, fixturesDir, { types: false });
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line])).toEqual([['socket-close/no-leak', 'noTypeInfo', 1]]);
  });
});
