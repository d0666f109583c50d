/**
 * Names that Node's event and stream APIs (and the code written around them) use, shared by every kind: how
 * listeners are registered, which events fire once, how liveness flags and cleanup methods are usually named,
 * and the cheap name screens that decide where the type checker is asked at all. Kind-specific facts live in the
 * kind records; this is the vocabulary for emitters and values whose kind is not known.
 */
import { set } from './kind';

/** Methods that register a listener: `(event, listener)`. */
export const LISTENER_METHODS = set('on', 'once', 'addListener', 'prependListener', 'prependOnceListener');
/** Methods that unregister a listener (`socket.removeListener('error', reject)`): the function is not called there. */
export const REMOVE_LISTENER_METHODS = set('removeListener', 'off', 'removeEventListener');
/**
 * Calls that take back a function registered earlier, the listener methods' and node-redis's (`unsubscribe(channel,
 * listener)`, `pUnsubscribe`, `sUnsubscribe`): the function passed is neither called there nor registered again.
 */
export const UNREGISTER_METHODS = set(...REMOVE_LISTENER_METHODS, 'unsubscribe', 'pUnsubscribe', 'sUnsubscribe', 'punsubscribe', 'sunsubscribe');
/**
 * EventEmitter methods that return the emitter itself (`s.off('message', f).close()` releases `s`); not the DOM's
 * `removeEventListener`, which returns nothing.
 */
export const EMITTER_CHAIN_METHODS = set('on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'removeListener', 'off', 'removeAllListeners', 'setMaxListeners');
/** Listener methods whose listener runs at most once. */
export const ONCE_LISTENER_METHODS = set('once', 'prependOnceListener');
/** The DOM-style registration (`addEventListener(type, fn, { once })`). */
export const EVENT_TARGET_METHOD = 'addEventListener';
/** The option of the DOM-style registration that makes the listener run at most once (`{ once: true }`). */
export const EVENT_TARGET_ONCE_OPTION = 'once';
/** `s.onclose = fn`: a property whose name is this prefix plus an event name registers a listener. */
export const LISTENER_PROPERTY_PREFIX = 'on';

/** Events that an emitter fires at most once, even to an `on` listener. */
export const ONE_TIME_EVENTS = set(
  'connect',
  'secureConnect',
  'ready',
  'listening',
  'close',
  'end',
  'finish',
  'open',
  'response',
  'upgrade',
  // An HTTP request's socket assignment and its `100 Continue` (its `'information'` comes for each 1xx and is not here).
  'socket',
  'continue',
  'lookup',
  'exit',
  // An application's or a host's (Homebridge's API) end of life, and Homebridge's start-up (`api.on('didFinishLaunching', …)`).
  'shutdown',
  'didFinishLaunching',
  // An AbortSignal aborts once (`signal.addEventListener('abort', cleanup)`).
  'abort',
  // An operation's own emitter reports its outcome once (`job.on('done', …)`, `task.on('complete', …)`).
  'done',
  'complete',
);
/** Events that mean the emitter is going away: code in their listeners is cleanup. */
export const TERMINAL_EVENTS = set('close', 'end', 'error', 'disconnect', 'exit', 'finish');
/** Events whose listener's first argument is a socket (for the untyped-parameter screen). */
export const SOCKET_ARGUMENT_EVENTS = set('connection', 'secureConnection', 'upgrade', 'connect', 'session', 'stream');
/** Callbacks of these factories receive a socket (for the untyped-parameter screen). */
export const SOCKET_CALLBACK_FACTORIES = /^(createServer|createSecureServer|connect|createConnection)$/;

/** `stream.pipeline(…, dst)`: takes over every stream it is given. */
export const PIPELINE_CALLEES = set('pipeline', 'stream.pipeline', 'promises.pipeline', 'stream.promises.pipeline');
/** Methods of a promise whose callbacks continue the current operation once it settles (not event listeners). */
export const PROMISE_CONTINUATIONS = set('then', 'catch', 'finally');
/** Calls that run their function argument later, and ignore what it returns (timers, `process.nextTick`). */
export const DEFERRING_CALLS = set('setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval');
/**
 * Methods of arrays (and typed arrays, sets, maps) that call their callback synchronously, before they return, and
 * a string's `replace()`/`replaceAll()` with a replacer function.
 */
export const SYNCHRONOUS_ITERATION = set(
  'forEach', 'map', 'flatMap', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'some', 'every', 'reduce', 'reduceRight', 'sort', 'toSorted', 'replace', 'replaceAll',
);
/** Methods that put their argument into a collection (`socks.push(s)`, `set.add(s)`, `map.set(key, s)`). */
export const CONTAINER_ADD: ReadonlySet<string> = new Set(['push', 'unshift', 'add', 'set', 'splice']);
/** `src.pipe(dst)`: ends `dst` when `src` ends. */
export const PIPE_METHOD = 'pipe';

/** Names of methods and functions that tear things down: a timer cleared there is cleared on release. */
export const CLEANUP_METHOD = /^(close|stop|destroy|dispose|shutdown|disconnect|cleanup|cleanUp|end|teardown|terminate|kill|release|reset|quit)/i;
/** Flag names that mean "closed" when true. */
export const DEAD_FLAG = /(closed|closing|destroyed|ended|ending|disposed|stopped|stopping|shutdown|shuttingDown|terminated|dead|finished|done|aborted|released)$/i;
/** Flag names that mean "usable" when true. */
export const ALIVE_FLAG = /^(is)?(connected|open|opened|alive|ready|running|active|writable|listening|bound)$/i;

/** Method and function names that may create a resource (user factories included): the cheap callee screen. */
const FACTORY_WORDS =
  /^(create|connect|dial|spawn|accept|acquire|upgrade|establish|listen)|connect$|socket|server|connection|conn$|client|session|channel|tunnel|websocket|^ws|tls|tcp|udp|pool|database|redis|mongo|mysql|amqp|mqtt|broker/i;
/** A verb that makes something, as a word of its own (`setupDatabase`, `openDb`, `newClient`; not `openings`). */
const FACTORY_VERB = /^(setup|open|make|new)(?=[A-Z_$\d]|$)/;

/** Is this a name of a method or function that may create a resource (user factories included): the cheap callee screen. */
export function isFactoryName(name: string): boolean {
  return FACTORY_WORDS.test(name) || FACTORY_VERB.test(name);
}

/**
 * Wrappers that run the function they are given once and then return its first result (lodash's `once` and
 * `memoize`, `memoize-one`, `p-memoize`, `mem`, `moize`, hand-written `callOnce`, `lazy`): what a function they make
 * returns is one value for the life of that function.
 */
export const MEMOIZER_NAME = /^(once|onlyOnce|callOnce|runOnce|doOnce|pOnce|memoi[sz]e|memoi[sz]eOne|memoi[sz]eAsync|pMemoi[sz]e|memo|mem|moize|lazy|lazyValue|cached)$/i;

/** Names of variables, parameters and properties that may hold a resource (screen for untyped bindings). */
export const RESOURCE_NAME = /sock|conn|client|server|srv|session|channel|tunnel|peer|stream|^ws$|ws[A-Z_]|websocket|tls|tcp|udp|dgram|link|wire|pipe/i;

/** The combinators whose promise settles only once every promise of the array it is given has (not `race`, `any`). */
export const ALL_SETTLING: ReadonlySet<string> = new Set(['Promise.all', 'Promise.allSettled']);

/** The timers whose callback runs later (a callback's `timer` role). */
export const TIMER_NAMES: ReadonlySet<string> = new Set(['setTimeout', 'setInterval']);

/** The events every `EventEmitter` emits by itself, whatever it is: a listener was added or removed. */
export const EMITTER_EVENTS: ReadonlySet<string> = new Set(['newListener', 'removeListener']);
