/**
 * Prints a generated program as a TypeScript module and records where each creation call and each `write` call
 * starts (ESLint convention: 1-based line and column), keyed by site number.
 */
import type { FuzzProgram, Position, Stmt } from './ast';

export interface Printed {
  code: string;
  /** Creation site → position of the `net.connect(...)` call. */
  creations: Map<number, Position>;
  /** Use site → position of the `x.write('x')` call. */
  uses: Map<number, Position>;
}

const INDENT = '  ';

export function printProgram(p: FuzzProgram): Printed {
  const lines: string[] = [];
  const creations = new Map<number, Position>();
  const uses = new Map<number, Position>();

  const emit = (depth: number, text: string): Position => {
    const prefix = INDENT.repeat(depth);
    lines.push(prefix + text);
    return { line: lines.length, column: prefix.length + 1 };
  };

  const block = (depth: number, head: string, body: Stmt[], tail = '}'): void => {
    emit(depth, `${head}{`);
    for (const s of body) stmt(depth + 1, s);
    emit(depth, tail);
  };

  const stmt = (d: number, s: Stmt): void => {
    switch (s.k) {
      case 'create': {
        const lhs = `const ${s.v} = `;
        const pos = emit(d, `${lhs}net.connect(1, '127.0.0.1');`);
        creations.set(s.site, { line: pos.line, column: pos.column + lhs.length });
        return;
      }
      case 'use':
        uses.set(s.site, emit(d, `${s.v}.write('x');`));
        return;
      case 'end':
        emit(d, `${s.v}.end();`);
        return;
      case 'destroy':
        emit(d, `${s.v}.destroy();`);
        return;
      case 'alias':
        emit(d, `const ${s.v} = ${s.of};`);
        return;
      case 'if':
        if (s.else === null) {
          block(d, `if (${s.c}) `, s.then);
        } else {
          emit(d, `if (${s.c}) {`);
          for (const t of s.then) stmt(d + 1, t);
          emit(d, '} else {');
          for (const t of s.else) stmt(d + 1, t);
          emit(d, '}');
        }
        return;
      case 'switch': {
        emit(d, `${s.label === null ? '' : `${s.label}: `}switch (${s.d}) {`);
        for (const c of s.clauses) block(d + 1, c.test === null ? 'default: ' : `case ${c.test}: `, c.body);
        emit(d, '}');
        return;
      }
      case 'loop': {
        const label = s.label === null ? '' : `${s.label}: `;
        const head =
          s.kind === 'for'
            ? `for (let ${s.iv} = 0; ${s.iv} < n; ${s.iv}++) `
            : s.kind === 'while'
              ? 'while (more()) '
              : `for (const ${s.iv} of xs) `;
        block(d, label + head, s.body);
        return;
      }
      case 'break':
        emit(d, s.label === null ? 'break;' : `break ${s.label};`);
        return;
      case 'continue':
        emit(d, s.label === null ? 'continue;' : `continue ${s.label};`);
        return;
      case 'try':
        emit(d, 'try {');
        for (const t of s.body) stmt(d + 1, t);
        if (s.handler !== null) {
          emit(d, '} catch {');
          for (const t of s.handler) stmt(d + 1, t);
        }
        if (s.finalizer !== null) {
          emit(d, '} finally {');
          for (const t of s.finalizer) stmt(d + 1, t);
        }
        emit(d, '}');
        return;
      case 'return':
        emit(d, 'return;');
        return;
      case 'returnSock':
        emit(d, `return ${s.v};`);
        return;
      case 'store':
        emit(d, `this.s = ${s.v};`);
        return;
      case 'throw':
        emit(d, "throw new Error('x');");
        return;
      case 'await':
        emit(d, 'await p;');
        return;
    }
  };

  const params = [
    ...Array.from({ length: p.conds }, (_, i) => `c${i}: boolean`),
    ...Array.from({ length: p.discriminants }, (_, i) => `k${i}: number`),
    'n: number',
    'xs: number[]',
    'more: () => boolean',
    'p: Promise<void>',
  ].join(', ');
  // `void` in the union lets the function fall off its end and use a bare `return;`.
  const value = p.returnsSocket ? 'net.Socket | void' : 'void';
  const ret = p.async ? `Promise<${value}>` : value;
  const asyncKw = p.async ? 'async ' : '';

  emit(0, "import * as net from 'node:net';");
  emit(0, '');
  if (p.method) {
    emit(0, 'export class C {');
    emit(1, 's: net.Socket | undefined;');
    emit(1, 'close(): void {');
    emit(2, 'this.s?.destroy();');
    emit(1, '}');
    block(1, `${asyncKw}m(${params}): ${ret} `, p.body);
    emit(0, '}');
  } else {
    block(0, `export ${asyncKw}function f(${params}): ${ret} `, p.body);
  }
  return { code: lines.join('\n') + '\n', creations, uses };
}
