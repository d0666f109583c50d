/**
 * False-alarm patterns found on published socket code (a probe over 70 packages, see bench/probe/), reduced to
 * minimal programs. Each must stay silent for both rules.
 */
import { createRuleTester } from '../rule-tester';
import noLeak from '../../src/rules/no-leak';
import noUseAfterClose from '../../src/rules/no-use-after-close';

const cases: Array<{ name: string; code: string }> = [
  {
    name: "process-exit-ends-the-path",
    code: "import * as net from 'node:net';\nexport function probe(port: number, bad: boolean): void {\n  const s = net.connect(port, '127.0.0.1');\n  if (bad) {\n    console.error('bad');\n    process.exit(1);\n  } else {\n    s.end();\n  }\n}\n",
  },
  {
    name: "r1-alias-assign",
    code: "import * as net from 'node:net';\nexport function open(port: number): net.Socket {\n  let socket: net.Socket;\n  const s = net.connect(port, '127.0.0.1');\n  socket = s;\n  return socket;\n}\n",
  },
  {
    name: "r10-listener-param",
    code: "import * as http from 'node:http';\nimport type * as net from 'node:net';\nexport function tunnel(src: net.Socket): void {\n  const req = http.request({ method: 'CONNECT', host: '127.0.0.1', port: 8080, path: 'example:443' });\n  req.on('connect', (_res, target) => {\n    if (src.bytesRead > 1e9) {\n      target.destroy();\n      return;\n    }\n    src.pipe(target);\n  });\n  req.end();\n}\n",
  },
  {
    name: "r11-dgram-error-close",
    code: "import * as dgram from 'node:dgram';\nexport function wake(packet: Buffer, callback?: (err: Error | null) => void): Promise<boolean> {\n  const socket = dgram.createSocket('udp4').on('error', (err) => {\n    socket.close();\n    if (callback) callback(err);\n  }).once('listening', () => {\n    socket.setBroadcast(true);\n  });\n  return new Promise((resolve, reject) => {\n    socket.send(packet, 9, '255.255.255.255', (err, bytes) => {\n      if (err) reject(err);\n      else resolve(bytes === packet.length);\n      socket.close();\n    });\n  });\n}\n",
  },
  {
    name: "r12-listening-after-close",
    code: "import * as dgram from 'node:dgram';\nexport class OscServer {\n  port: number;\n  private sock: dgram.Socket;\n  constructor(port: number) {\n    this.port = port;\n    this.sock = dgram.createSocket('udp4');\n    this.sock.bind(port, '127.0.0.1');\n    this.sock.on('listening', () => {\n      this.port = this.sock.address().port;\n    });\n  }\n  close(cb?: () => void): void {\n    this.sock.close(cb);\n  }\n}\n",
  },
  {
    name: "r13-if-socket-handoff",
    code: "import * as dgram from 'node:dgram';\nexport class Ssdp {\n  sockets: Record<string, dgram.Socket> = {};\n  create(address: string): void {\n    const socket = dgram.createSocket('udp4');\n    if (socket) {\n      this.sockets[address] = socket;\n    }\n  }\n  stop(): void {\n    for (const s of Object.values(this.sockets)) s.close();\n  }\n}\n",
  },
  {
    name: "r15-instanceof-guard",
    code: "import * as net from 'node:net';\ndeclare function viaAgent(name: string): Promise<net.Socket>;\nexport async function connect(names: string[]): Promise<net.Socket> {\n  for (const name of names) {\n    try {\n      const s = await viaAgent(name);\n      if (!(s instanceof net.Socket)) {\n        throw new Error('Expected a net.Socket');\n      }\n      return s;\n    } catch {\n      // try the next one\n    }\n  }\n  throw new Error('none');\n}\n",
  },
  {
    name: "r16-loop-if-socket",
    code: "import * as net from 'node:net';\nimport { once } from 'node:events';\nexport async function connectAny(ports: number[]): Promise<net.Socket> {\n  for (const port of ports) {\n    let socket: net.Socket | null = null;\n    if (port > 0) {\n      socket = net.connect(port, '127.0.0.1');\n    }\n    try {\n      if (socket) {\n        await once(socket, 'connect');\n        return socket;\n      }\n      throw new Error('bad port');\n    } catch {\n      // 'error' was emitted: the socket destroyed itself\n    }\n  }\n  throw new Error('no target');\n}\n",
  },
  {
    name: "r2-deferred-reject",
    code: "import * as net from 'node:net';\nexport async function open(port: number): Promise<net.Socket> {\n  const socket = net.connect(port, '127.0.0.1');\n  socket.setTimeout(5000);\n  const ready = new Promise<net.Socket>((resolve, reject) => {\n    socket\n      .once('connect', () => resolve(socket))\n      .once('timeout', () => reject(new Error('timed out')))\n      .once('error', reject);\n  });\n  try {\n    return await ready;\n  } catch (e) {\n    socket.destroy();\n    throw e;\n  } finally {\n    socket.setTimeout(0);\n  }\n}\n",
  },
  {
    name: "r3-field-resolve",
    code: "import * as net from 'node:net';\nexport class Client {\n  socket: net.Socket | null = null;\n  connect(port: number): Promise<void> {\n    return new Promise((resolve, reject) => {\n      this.socket = net.createConnection({ port, host: '127.0.0.1' }, () => resolve());\n      this.socket.on('error', (e) => reject(e));\n    });\n  }\n  destroy(): void {\n    this.socket?.destroy();\n  }\n}\n",
  },
  {
    name: "r3b-field-resolve-helper",
    code: "import * as net from 'node:net';\nexport class Client {\n  socket: net.Socket | null = null;\n  connect(port: number): Promise<void> {\n    return new Promise((resolve, reject) => {\n      let pending = true;\n      const resolveIt = () => { pending = false; resolve(); };\n      const rejectIt = (e: Error) => { pending = false; reject(e); };\n      this.socket = net.createConnection({ port, host: '127.0.0.1' }, () => resolveIt());\n      this.socket.on('error', (e) => { if (pending) rejectIt(e); });\n    });\n  }\n  destroy(): void {\n    this.socket?.destroy();\n  }\n}\n",
  },
  {
    name: "r4-returned-idle",
    code: "import * as net from 'node:net';\nexport function factory(port: number): net.Socket {\n  const s = new net.Socket();\n  s.setTimeout(1000);\n  s.connect(port, '127.0.0.1');\n  return s;\n}\nexport function user(port: number): void {\n  const s = factory(port);\n  s.once('timeout', () => s.destroy());\n  s.on('data', () => s.end());\n}\n",
  },
  {
    name: "r5a-destructure-close",
    code: "import * as http from 'node:http';\nexport class Proxy {\n  server: http.Server | null;\n  constructor() {\n    this.server = http.createServer();\n    this.server.on('request', (_req, res) => res.end());\n  }\n  close(): void {\n    if (this.server) {\n      const { server } = this;\n      this.server = null;\n      server.close();\n    }\n  }\n}\n",
  },
  {
    name: "r6a-field-alias-timeout",
    code: "import * as net from 'node:net';\nexport class Conn {\n  sock: net.Socket | undefined;\n  connect(port: number): void {\n    const socket = new net.Socket();\n    this.sock = socket;\n    this.sock.on('timeout', () => socket.destroy());\n    socket.setTimeout(1000);\n    socket.connect(port, '127.0.0.1');\n  }\n  destroy(): void {\n    this.sock?.destroy();\n  }\n}\n",
  },
  {
    name: "r7-release-via-field",
    code: "import * as net from 'node:net';\nexport class Conn {\n  sock: net.Socket | null = null;\n  connect(port: number): void {\n    const socket = new net.Socket();\n    socket.setTimeout(1000, () => {\n      if (this.sock && !this.sock.destroyed) this.sock.end();\n      this.sock = null;\n    });\n    this.sock = socket;\n    socket.connect(port, '127.0.0.1');\n  }\n}\n",
  },
  {
    name: "r8b-field-then",
    code: "import * as net from 'node:net';\nimport * as tls from 'node:tls';\ndeclare function viaProxy(): Promise<{ socket: net.Socket }>;\nexport class Transport {\n  socket: net.Socket | null = null;\n  connect(useTls: boolean): void {\n    this.dispose();\n    if (useTls) {\n      this.socket = null;\n      viaProxy().then((info) => {\n        let connection = info.socket;\n        if (useTls) {\n          connection = tls.connect({ socket: connection });\n        }\n        this.socket = connection;\n      }).catch(() => undefined);\n    } else {\n      this.socket = net.connect(6667, '127.0.0.1');\n    }\n  }\n  dispose(): void {\n    this.socket?.destroy();\n    this.socket = null;\n  }\n}\n",
  },
  {
    name: "r9b-falsy-throw",
    code: "import * as net from 'node:net';\ndeclare function openTunnel(): Promise<net.Socket | undefined>;\nexport async function connect(): Promise<net.Socket> {\n  const socket = await openTunnel();\n  if (!socket) {\n    throw new Error('no tunnel');\n  }\n  return socket;\n}\n",
  },
];

createRuleTester().run('no-leak: published-code false alarms', noLeak, { valid: cases, invalid: [] });
createRuleTester().run('no-use-after-close: published-code false alarms', noUseAfterClose, { valid: cases, invalid: [] });
