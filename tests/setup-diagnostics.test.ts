/**
 * Set-up problems are named, once per file: a file parsed without type information gets one `noTypeInfo`, a file
 * whose socket modules' types do not resolve (TypeScript 6's default `"types": []`, or no @types/node) gets one
 * `missingTypes` that says what to install and what to put in `compilerOptions.types`.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithPlugin } from './rule-tester';

const noTypesDir = path.join(__dirname, 'fixtures-no-types');


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
    const messages = lintWithPlugin(BUGGY, { dir: noTypesDir });
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column])).toEqual([['socket-close/no-leak', 'missingTypes', 1, 1]]);
    expect(messages[0]?.message).toContain("'node:net'");
    expect(messages[0]?.message).toContain('npm i -D @types/node');
    expect(messages[0]?.message).toContain('"node" to compilerOptions.types');
  });

  it('is reported by no-use-after-close when no-leak is off', () => {
    const messages = lintWithPlugin(BUGGY, { dir: noTypesDir, rules: { 'no-use-after-close': 'error' } });
    expect(messages.map((m) => [m.ruleId, m.messageId])).toEqual([['socket-close/no-use-after-close', 'missingTypes']]);
  });

  it('names require() of a bare module in a JavaScript file too', () => {
    const code = "const dgram = require('dgram');\nexports.s = dgram.createSocket('udp4');\n";
    const messages = lintWithPlugin(code, { dir: noTypesDir, file: 'script.js' });
    expect(messages.map((m) => m.messageId)).toEqual(['missingTypes']);
    expect(messages[0]?.message).toContain("'dgram'");
  });

  it('ignores require() in a TypeScript file: it is untyped whatever is installed', () => {
    // @types/pg is installed and resolves for `import`; `require()` in a .ts file is `any` all the same.
    const code = "const { Client } = require('pg');\nexport const c = new Client();\n";
    expect(lintWithPlugin(code).map((m) => m.messageId)).toEqual([]);
    expect(lintWithPlugin(code, { dir: noTypesDir }).map((m) => m.messageId)).toEqual([]);
  });

  it('says nothing about a file that imports no socket module', () => {
    expect(lintWithPlugin("import * as fs from 'node:fs';\nexport const x = fs;\n", { dir: noTypesDir })).toEqual([]);
  });

  it('says nothing when the types resolve (and the bugs are reported instead)', () => {
    const ids = lintWithPlugin(BUGGY).map((m) => m.messageId);
    expect(ids).not.toContain('missingTypes');
    expect(ids).toContain('useAfterRelease');
  });
});

describe('no type information', () => {
  it('reports noTypeInfo once per file, not once per rule', () => {
    const messages = lintWithPlugin(BUGGY, { types: false });
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line])).toEqual([['socket-close/no-leak', 'noTypeInfo', 1]]);
  });
});

describe("invalid settings['socket-close']", () => {
  const withSettings = (settings: Record<string, unknown>) => () => {
    lintWithPlugin("import * as net from 'node:net';\nexport const s = net.connect(1);\n", { settings, rules: { 'no-leak': 'error' } });
  };

  it('names the entry without a release list', () => {
    expect(withSettings({ 'socket-close': { resources: [{ type: 'Conn', release: ['close'] }, { type: 'Other' }] } })).toThrow(
      /settings\['socket-close'\]\.resources\[1\]: release must be a non-empty array of names/,
    );
  });

  it('names an unknown property and a bad specifier', () => {
    expect(withSettings({ 'socket-close': { resources: [{ type: 'Conn', release: ['close'], relase: ['x'] }] } })).toThrow(/resources\[0\]\.relase: unknown property/);
    expect(withSettings({ 'socket-close': { resources: [{ type: { from: 'npm', name: 'Conn' }, release: ['close'] }] } })).toThrow(
      /resources\[0\]\.type\.from: expected 'file', 'lib' or 'package'/,
    );
    expect(withSettings({ 'socket-close': { endIsRelease: 'yes' } })).toThrow(/\.endIsRelease: expected true or false/);
  });

  it('accepts the shared endIsRelease setting', () => {
    expect(withSettings({ 'socket-close': { endIsRelease: false } })).not.toThrow();
  });
});

describe("settings['socket-close'].endIsRelease", () => {
  const run = (settings: Record<string, unknown>, options?: Record<string, unknown>) =>
    lintWithPlugin(BUGGY, { settings, rules: { 'no-leak': options ? ['error', options] : 'error', 'no-use-after-close': 'error' } }).map(
      (m) => m.messageId,
    );

  it('is on by default: write() after end() is reported, the socket is released', () => {
    expect(run({})).toEqual(['useAfterRelease']);
  });

  it('false: end() is no release for either rule', () => {
    expect(run({ 'socket-close': { endIsRelease: false } })).toEqual(['leak']);
  });

  it("the rule option, where set, overrides the setting for that rule (deprecated alias)", () => {
    expect(run({ 'socket-close': { endIsRelease: false } }, { endIsRelease: true })).toEqual([]);
  });
});
