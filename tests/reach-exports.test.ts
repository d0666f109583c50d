/**
 * The reach index against the real typings of every library the built-in kinds bind: a file that imports any export
 * of a library entry (by name, as its default, as a namespace, with `import = require()`) whose value is a resource,
 * makes one (a function returning one, awaited or not; a class constructing one) or has a member that does, must be
 * reached — or the rules skip it and say nothing. Typings change shape between versions (MQTT.js's entry re-exports
 * the default import of `lib/connect` by name), so each entry's exports are listed from its typings, not by hand.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KindRegistry } from '../src/kinds/registry';
import { ProgramReach } from '../src/model/reach';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'tests', 'virtual-reach-exports');
const MODULES = ['node:net', 'node:tls', 'node:dgram', 'node:http', 'node:https', 'node:http2', 'pg', 'mysql2', 'mysql2/promise', 'ioredis', 'redis', 'amqplib', 'amqplib/callback_api', 'ssh2', 'ws', 'mongodb', 'undici', 'mqtt'];
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/** A program of in-memory files (under the project, so that its node_modules resolve) and the typings they import. */
function program(files: ReadonlyMap<string, string>): ts.Program {
  const host = ts.createCompilerHost(OPTIONS, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, lang, onError) => {
    const text = files.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, onError);
  };
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  return ts.createProgram([...files.keys()], OPTIONS, host);
}

interface Probe {
  file: string;
  module: string;
  name: string;
  why: string;
}

/** The exports of each module that can be or give a resource, by the kinds' own registry. */
function probes(): Probe[] {
  const lister = path.join(DIR, 'exports.ts');
  const p = program(new Map([[lister, MODULES.map((m, i) => `import * as m${i} from '${m}';`).join('\n')]]));
  const checker = p.getTypeChecker();
  const registry = new KindRegistry(checker, [], p);
  const returnsKind = (t: ts.Type): boolean =>
    t.getCallSignatures().some((s) => !!registry.kindOf(s.getReturnType()) || !!registry.kindOf(checker.getAwaitedType(s.getReturnType()) ?? s.getReturnType())) ||
    t.getConstructSignatures().some((s) => !!registry.kindOf(s.getReturnType()));
  const why = (symbol: ts.Symbol): string | undefined => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const type = checker.getTypeOfSymbol(target);
    if (registry.kindOf(type)) return 'a resource';
    if (returnsKind(type)) return 'makes one';
    if (type.getProperties().some((m) => returnsKind(checker.getTypeOfSymbol(m)))) return 'has a member that makes one';
    return undefined;
  };
  const out: Probe[] = [];
  const sf = p.getSourceFile(lister);
  sf?.statements.forEach((st, i) => {
    const module = MODULES[i];
    const symbol = ts.isImportDeclaration(st) ? checker.getSymbolAtLocation(st.moduleSpecifier) : undefined;
    if (!symbol) throw new Error(`${module} does not resolve: is it installed?`);
    for (const e of checker.getExportsOfModule(symbol)) {
      const reason = e.name === 'default' ? undefined : why(e);
      if (reason) out.push({ file: `named${out.length}.ts`, module, name: `import { ${e.name} }`, why: reason });
    }
    out.push({ file: `default${out.length}.ts`, module, name: 'import d from', why: 'the whole module' });
    out.push({ file: `namespace${out.length}.ts`, module, name: 'import * as d from', why: 'the whole module' });
    out.push({ file: `equals${out.length}.ts`, module, name: 'import d = require()', why: 'the whole module' });
  });
  return out;
}

function text(pr: Probe): string {
  const named = /^import \{ (.+) \}$/.exec(pr.name)?.[1];
  if (named) return `import { ${named} } from '${pr.module}';\nexport const x = ${named};\n`;
  if (pr.name === 'import d from') return `import d from '${pr.module}';\nexport const x = d;\n`;
  if (pr.name === 'import * as d from') return `import * as d from '${pr.module}';\nexport const x = d;\n`;
  return `import d = require('${pr.module}');\nexport const x = d;\n`;
}

describe('the reach index reaches every export of the bound libraries that is or makes a resource', () => {
  it('by name, as default, as namespace, by import-equals', () => {
    const list = probes();
    // The listing itself must find the libraries' factories: a registry that bound nothing would pass vacuously.
    const named = list.filter((pr) => pr.name.startsWith('import {'));
    expect(named.length).toBeGreaterThan(60);
    for (const expected of ['pg:import { Pool }', 'mqtt:import { connect }', 'node:net:import { createConnection }', 'ws:import { WebSocket }', 'mongodb:import { MongoClient }']) {
      expect(named.map((pr) => `${pr.module}:${pr.name}`)).toContain(expected);
    }
    const files = new Map(list.map((pr) => [path.join(DIR, pr.file), text(pr)]));
    const p = program(files);
    const checker = p.getTypeChecker();
    const registry = new KindRegistry(checker, [], p);
    const reach = new ProgramReach(p, checker, registry.bindings, 'reach-exports');
    const unreached = list.filter((pr) => !reach.fileReaches(p.getSourceFile(path.join(DIR, pr.file)) as ts.SourceFile)).map((pr) => `${pr.module}: ${pr.name} (${pr.why})`);
    expect(unreached).toEqual([]);
  });
});
