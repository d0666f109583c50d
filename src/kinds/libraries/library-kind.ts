/**
 * Shared defaults for the client-library kinds: a library client is released by a method call, is not a stream,
 * is not closed by its peer (the libraries reconnect or report errors per operation) and reports errors without
 * being released by them. Each library file states what differs.
 */
import { NO_GUARDS, set, type ResourceKind } from '../kind';

export type LibraryKindSpec = Pick<ResourceKind, 'name' | 'releases' | 'uses' | 'finallyRelease'> & Partial<ResourceKind>;

export function libraryKind(spec: LibraryKindSpec): ResourceKind {
  return {
    noun: 'client',
    destroys: set(),
    releaseArguments: new Map(),
    reopens: set(),
    returnsSelf: set(),
    creates: set(),
    doubleReleaseThrows: false,
    errorEvent: { name: 'error', destroys: false },
    closeEvent: 'close',
    closedEvents: set('close'),
    peerCanClose: false,
    disposable: false,
    isStream: false,
    guards: NO_GUARDS,
    suggestedRelease: [...spec.releases].map((r) => `${r}()`).join(' or '),
    ...spec,
  };
}
