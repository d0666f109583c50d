// Fixture for tests/rules/triage-forty-sixth.test.ts: a JavaScript subclass of http.Server (no typings) whose
// listen() resolves to the server itself through the promise it makes, and methods resolving to something else.
const http = require('node:http');

class StaticServer extends http.Server {
  listen(port = 0) {
    return new Promise((resolve, reject) => {
      const handle = (err) => (err ? reject(err) : resolve(this));
      super.listen(port, '127.0.0.1', handle).once('error', handle);
    });
  }

  port() {
    return new Promise((resolve) => {
      super.listen(0, '127.0.0.1', () => resolve(8080));
    });
  }

  ready() {
    return new Promise((resolve) => {
      super.listen(0, '127.0.0.1', function () {
        resolve(this);
      });
    });
  }
}

function createStaticServer() {
  return new StaticServer();
}

module.exports = { StaticServer, createStaticServer };
