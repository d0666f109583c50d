/**
 * ssh2 (typed by `@types/ssh2`): the SSH `Client`. Facts read from @types/ssh2 1.15 and ssh2 1.17.
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/**
 * `new Client()`, opened by `connect(config)` (which returns the client and may be called again after a close).
 * `end()` closes the connection, `destroy()` at once. Opening channels after the close fails ("Not connected").
 * The server can close the connection at any time ('end', then 'close'), and an 'error' closes it ('close' follows).
 */
export const SSH2_CLIENT: ResourceKind = libraryKind({
  name: 'ssh2 Client',
  noun: 'connection',
  releases: set('end', 'destroy'),
  destroys: set('destroy'),
  uses: set(
    'exec',
    'shell',
    'sftp',
    'subsys',
    'forwardIn',
    'unforwardIn',
    'forwardOut',
    'openssh_noMoreSessions',
    'openssh_forwardInStreamLocal',
    'openssh_unforwardInStreamLocal',
    'openssh_forwardOutStreamLocal',
  ),
  reopens: set('connect'),
  // connect() arms a handshake timer (`readyTimeout`, 20000 ms unless given): when it fires, the client emits 'error'
  // and destroys its socket.
  handshakeDeadline: { methods: set('connect'), option: 'readyTimeout', defaultMs: 20000 },
  // 'timeout' relays the socket's idle timeout, which connect() arms only when given `timeout` (a number).
  eventsArmedByOption: new Map([['timeout', { methods: set('connect'), option: 'timeout' }]]),
  // `connect({ sock })` runs the connection over a stream it is given (a jump host's forwarded channel): ending or
  // destroying that stream closes the client, which is then its owner's to release.
  wrapsStream: { methodOption: { methods: set('connect'), option: 'sock' } },
  // `new Client()` opens nothing until `connect()`.
  createdIdle: {},
  // 'end': the transport socket ended (ssh2 ends its side too, and 'close' follows): the connection is over.
  closedEvents: set('close', 'end'),
  // 'ready' (authenticated) comes once per connect(), and end() or destroy() cuts the handshake short: a 'ready'
  // listener runs while the connection is open (a connect() after the release is checked as a reopen).
  openEvents: set('ready'),
  // A channel the server refuses (`exec`, `forwardOut`, `sftp` …) is reported to the operation's callback; the
  // connection stays up. Those callbacks run inside the client's packet parser, which catches what they throw, emits
  // it as 'error' and ends the socket.
  errorEvent: { name: 'error', destroys: true, callbackErrorsLeaveOpen: true, thrownFromCallbacks: true },
  peerCanClose: true,
  suggestedRelease: 'end() or destroy()',
  finallyRelease: 'end',
});
