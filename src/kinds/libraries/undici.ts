/**
 * undici (typings bundled): the dispatchers a program creates and must close — `Client`, `Pool`,
 * `BalancedPool`, `RoundRobinPool`, `Agent`, `ProxyAgent`, `EnvHttpProxyAgent`. Facts read from undici 7.30.
 * Not bound: `Dispatcher` itself (what `getGlobalDispatcher()` returns belongs to the process).
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/**
 * `close()` waits for the queued requests, `destroy()` aborts them. Requests afterwards throw or reject
 * (ClientClosedError / ClientDestroyedError). A second `close()` resolves, but `close()` after `destroy()`
 * rejects: a second release is not an error in general.
 */
function undiciKind(name: string, noun: string): ResourceKind {
  return libraryKind({
    name,
    noun,
    releases: set('close', 'destroy'),
    destroys: set('destroy'),
    uses: set('request', 'stream', 'pipeline', 'connect', 'upgrade', 'dispatch'),
    // `request(url, { dispatcher })`, `fetch(url, { dispatcher })`: a request goes through it, nothing keeps it.
    lentAs: set('dispatcher'),
    // `agent.compose(interceptor)` returns a proxy of the same dispatcher (closing one closes the other).
    wrapsSelf: set('compose'),
    // A dispatcher connects at its first dispatch (a request through it): made, composed or configured, it holds
    // no socket yet.
    createdIdle: { keptIdleBy: set('compose') },
    guards: { deadProperties: set('closed', 'destroyed'), aliveProperties: set() },
    suggestedRelease: 'close() or destroy()',
    finallyRelease: 'close',
  });
}

export const UNDICI_CLIENT: ResourceKind = undiciKind('undici Client', 'client');
export const UNDICI_POOL: ResourceKind = undiciKind('undici Pool', 'pool');
export const UNDICI_AGENT: ResourceKind = undiciKind('undici Agent', 'agent');
