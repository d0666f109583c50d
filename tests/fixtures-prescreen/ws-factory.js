// A CommonJS helper module (no typings of its own): ws servers made for a caller.
const ws = require('ws');

const WsServer = ws.Server;

/** Attached to the caller's HTTP server: owns no socket of its own. */
function attachedServer(config) {
  const wss = new WsServer({ server: config.server });
  wss.on('connection', config.onConnection);
  return wss;
}

/** Listens on its own port: the caller must close it. */
function standaloneServer(config) {
  const wss = new WsServer({ port: config.port });
  wss.on('connection', config.onConnection);
  return wss;
}

module.exports = { attachedServer, standaloneServer };
