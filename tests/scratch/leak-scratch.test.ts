import { createRuleTester } from '../rule-tester';
import rule from '../../src/rules/no-leak';

const H = "import * as net from 'node:net';\nimport * as dgram from 'node:dgram';\n";
createRuleTester().run('no-leak scratch', rule, {
  valid: [
    H + "export function f() { const s = net.connect(1); s.end(); }",
    H + "export function f() { const s = net.connect(1); return s; }",
    H + "export function f() { const s = net.connect(1); try { s.write('x'); } finally { s.destroy(); } }",
    H + "export function f(): Promise<boolean> { return new Promise((resolve) => { const s = net.connect(1); s.once('connect', () => { s.end(); resolve(true); }); s.once('error', () => resolve(false)); }); }",
    H + "export function f() { const s = dgram.createSocket('udp4'); s.send('x', 1, '127.0.0.1', () => s.close()); }",
    H + "export function f() { const socks: net.Socket[] = []; for (let i = 0; i < 3; i++) socks.push(net.connect(1)); for (const s of socks) s.destroy(); }",
    H + "export async function f() { await using s = net.connect(1); s.write('x'); }",
    H + "export function f() { net.createServer((c) => c.end()).listen(1); }",
  ],
  invalid: [
    { code: H + "export function f(x: boolean) { const s = net.connect(1); if (x) return; s.end(); }", errors: [{ messageId: 'leak', line: 3 }] },
    { code: H + "export function f() { const s = net.connect(1); s.write('x'); }", errors: [{ messageId: 'leak', line: 3 }] },
    { code: H + "export function f(n: number) { for (let i = 0; i < n; i++) { const s = net.connect(1); if (i) continue; s.end(); } }", errors: [{ messageId: 'leak', line: 3 }] },
    { code: H + "export function f(): Promise<net.Socket> { return new Promise((resolve, reject) => { const s = net.connect(1); s.once('connect', () => resolve(s)); setTimeout(() => reject(new Error('t')), 10); }); }", errors: [{ messageId: 'leak', line: 3 }] },
    { code: H + "export function f() { const s = net.connect(1); s.setTimeout(10); s.on('data', () => s.end()); }", errors: [{ messageId: 'idleTimeoutUnhandled', line: 3 }] },
    { code: H + "export function f() { const s = net.connect(1); s.on('timeout', () => console.log('x')); s.on('data', () => s.end()); }", errors: [{ messageId: 'timeoutNotReleased', line: 3 }] },
    { code: H + "export function f() { const s = dgram.createSocket('udp4'); s.send('x', 1, '127.0.0.1', (e) => { if (e) return; s.close(); }); }", errors: [{ messageId: 'leak', line: 3 }] },
    { code: H + "export class C { s = net.connect(1); }", errors: [{ messageId: 'fieldNeverReleased', line: 3 }] },
    { code: H + "export function f() { const socks: net.Socket[] = []; socks.push(net.connect(1)); }", errors: [{ messageId: 'leak', line: 3 }] },
  ],
});
