/**
 * Shapes found in the thirty-seventh session (the thirty-first hand triage and the corpus), each reduced to its
 * general mechanism, with the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin } from '../rule-tester';

const jsIds = (code: string): Array<[number, string | undefined]> =>
  lintJsWithPlugin(code, path.join(__dirname, '..', 'fixtures-prescreen')).map((m) => [m.line, m.messageId]);

describe('a call of a choice between two socket factories (JavaScript: TypeScript cannot call the union)', () => {
  it('secure ? tls.connect : net.connect, never released: reported', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'function send(secure, opts, line) {',
      '  const connectFn = secure ? tls.connect : net.connect;',
      '  const socket = connectFn(opts);',
      '  socket.write(line);',
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([[5, 'leak']]);
  });

  it('the same socket ended in its connect callback: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'function send(secure, opts, line) {',
      '  const connectFn = secure ? tls.connect : net.connect;',
      '  const socket = connectFn(opts, () => socket.end(line));',
      "  socket.on('error', () => {});",
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([]);
  });

  it('stored in a field that close() destroys: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'class Connection {',
      '  open(secure, opts) {',
      '    const connectFn = secure ? tls.connect : net.connect;',
      '    this.socket = connectFn(opts);',
      '  }',
      '  close() {',
      '    if (this.socket) this.socket.destroy();',
      '  }',
      '}',
      'module.exports = { Connection };',
    ].join('\n'))).toEqual([]);
  });

  it('a choice variable assigned again later is not followed: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'function send(secure, opts, line, other) {',
      '  let connectFn = secure ? tls.connect : net.connect;',
      '  if (other) connectFn = other;',
      '  const socket = connectFn(opts);',
      '  socket.write(line);',
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([]);
  });

  it('a choice with a branch that is no socket factory is not a creation: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      'function send(secure, opts, line) {',
      '  const connectFn = secure ? JSON.stringify : net.connect;',
      '  const socket = connectFn(opts);',
      '  socket.write(line);',
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([]);
  });
});
