/**
 * The plugin's shared settings, `settings['socket-close']`: `endIsRelease` and user-declared resource kinds.
 * ESLint does not validate settings, so they are validated here, once per settings object, with an error that
 * names the bad entry.
 */
import { EVERY_METHOD, NO_GUARDS, set, type ResourceKind } from './kind';
import type { KindBinding, TypeSource } from './registry';

/** Where a declared type comes from (a subset of typescript-eslint's TypeOrValueSpecifier). */
export type TypeSpecifier =
  | string
  | { from: 'file'; name: string | string[] }
  | { from: 'lib'; name: string | string[] }
  | { from: 'package'; package: string; name: string | string[] };

export interface DeclaredResource {
  type: TypeSpecifier;
  /** Name in messages (default: the type name). */
  name?: string;
  release: string[];
  /** Releases that tear it down at once (default: none). */
  destroy?: string[];
  /** Methods that fail after release (default: every method except releases and listener registration). */
  uses?: string[];
  reopen?: string[];
  returnsSelf?: string[];
  creates?: string[];
  /** Methods of `creates` whose resources this one's release also releases (default: none). */
  releasesCreated?: string[];
  /** Its error event releases it (default false). */
  errorReleases?: boolean;
  /** Methods whose failure (a rejection, a throw) leaves it closed (default: none). */
  rejectionCloses?: string[];
  /** Events after which it is released (default `['close']`). */
  closeEvents?: string[];
  /** The peer can close it at any time (default false). */
  peerCanClose?: boolean;
  /** The peer closes it only with an error event first, which a program must listen for to outlive it (default false). */
  peerClosesWithError?: boolean;
  /** A use after the release throws at once, so a `catch` around it takes the failure (default false). */
  usesThrow?: boolean;
  /** Released by `await using` (default false). */
  disposable?: boolean;
  /** Release to call in a `finally` block (default: the first release). */
  finallyRelease?: string;
  /** Boolean properties that are true once it is released / while it is usable. */
  deadProperties?: string[];
  aliveProperties?: string[];
}

export interface PluginSettings {
  endIsRelease?: boolean;
  resources?: DeclaredResource[];
}

export interface ResolvedSettings {
  /** Undefined when not set (the rule option, then `true`, decide). */
  readonly endIsRelease: boolean | undefined;
  readonly bindings: readonly KindBinding[];
  /** Cache key: equal keys mean equal settings. */
  readonly key: string;
}

const PREFIX = "eslint-plugin-socket-close: invalid settings['socket-close']";

export class SettingsError extends Error {
  constructor(where: string, problem: string) {
    super(`${PREFIX}${where}: ${problem}.`);
    this.name = 'SettingsError';
  }
}

const RESOURCE_KEYS = new Set([
  'type',
  'name',
  'release',
  'destroy',
  'uses',
  'reopen',
  'returnsSelf',
  'creates',
  'releasesCreated',
  'errorReleases',
  'rejectionCloses',
  'closeEvents',
  'peerCanClose',
  'peerClosesWithError',
  'usesThrow',
  'disposable',
  'finallyRelease',
  'deadProperties',
  'aliveProperties',
]);
const IDENTIFIER = /^[A-Za-z_$#][\w$]*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function names(value: unknown, where: string, what: string, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || (required && value.length === 0)) {
    throw new SettingsError(where, `${what} must be ${required ? 'a non-empty' : 'an'} array of names`);
  }
  for (const [i, n] of value.entries()) {
    if (typeof n !== 'string' || !(IDENTIFIER.test(n) || (what === 'uses' && n === EVERY_METHOD))) {
      throw new SettingsError(`${where}.${what}[${i}]`, `expected a method or event name, got ${JSON.stringify(n)}`);
    }
  }
  return value as string[];
}

function bool(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new SettingsError(where, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

function specifier(value: unknown, where: string): { names: string[]; source: TypeSource } {
  if (typeof value === 'string') {
    if (value.trim() === '') throw new SettingsError(where, 'the type name is empty');
    return { names: [value], source: 'any' };
  }
  if (!isRecord(value)) throw new SettingsError(where, "expected a type name or { from: 'file' | 'lib' | 'package', name }");
  const typeNames = typeof value.name === 'string' ? [value.name] : value.name;
  if (!Array.isArray(typeNames) || typeNames.length === 0 || typeNames.some((n) => typeof n !== 'string' || n === '')) {
    throw new SettingsError(`${where}.name`, 'expected a type name or a non-empty array of type names');
  }
  const allowed = value.from === 'package' ? ['from', 'name', 'package'] : ['from', 'name'];
  for (const k of Object.keys(value)) if (!allowed.includes(k)) throw new SettingsError(`${where}.${k}`, 'unknown property');
  switch (value.from) {
    case 'file':
      return { names: typeNames as string[], source: 'file' };
    case 'lib':
      return { names: typeNames as string[], source: 'lib' };
    case 'package':
      if (typeof value.package !== 'string' || value.package === '') throw new SettingsError(`${where}.package`, 'expected a package name');
      return { names: typeNames as string[], source: { package: value.package } };
    default:
      throw new SettingsError(`${where}.from`, `expected 'file', 'lib' or 'package', got ${JSON.stringify(value.from)}`);
  }
}

function declaredKind(entry: unknown, where: string): KindBinding {
  if (!isRecord(entry)) throw new SettingsError(where, 'expected an object with at least `type` and `release`');
  for (const k of Object.keys(entry)) {
    if (!RESOURCE_KEYS.has(k)) throw new SettingsError(`${where}.${k}`, `unknown property (known: ${[...RESOURCE_KEYS].join(', ')})`);
  }
  if (entry.type === undefined) throw new SettingsError(where, '`type` is required');
  const spec = specifier(entry.type, `${where}.type`);
  const release = names(entry.release, where, 'release', true);
  const destroy = names(entry.destroy, where, 'destroy', false);
  for (const d of destroy) if (!release.includes(d)) throw new SettingsError(`${where}.destroy`, `'${d}' is not listed in release`);
  const uses = entry.uses === undefined ? [EVERY_METHOD] : names(entry.uses, where, 'uses', false);
  const creates = names(entry.creates, where, 'creates', false);
  const releasesCreated = names(entry.releasesCreated, where, 'releasesCreated', false);
  for (const m of releasesCreated) if (!creates.includes(m)) throw new SettingsError(`${where}.releasesCreated`, `'${m}' is not listed in creates`);
  const rejectionCloses = names(entry.rejectionCloses, where, 'rejectionCloses', false);
  const finallyRelease = entry.finallyRelease ?? destroy[0] ?? release[0];
  if (typeof finallyRelease !== 'string' || !release.includes(finallyRelease)) {
    throw new SettingsError(`${where}.finallyRelease`, 'must be one of the release methods');
  }
  if (entry.name !== undefined && (typeof entry.name !== 'string' || entry.name === '')) throw new SettingsError(`${where}.name`, 'expected a non-empty string');
  const kind: ResourceKind = {
    name: (entry.name) ?? spec.names[0],
    noun: 'resource',
    releases: set(...release),
    destroys: set(...destroy),
    releaseArguments: new Map(),
    uses: set(...uses),
    reopens: set(...names(entry.reopen, where, 'reopen', false)),
    returnsSelf: set(...names(entry.returnsSelf, where, 'returnsSelf', false)),
    creates: set(...creates),
    ...(releasesCreated.length > 0 ? { releasesCreated: set(...releasesCreated) } : {}),
    doubleReleaseThrows: false,
    // Their failure leaves it closed: a rejection, a throw, or the error given to their error-first callback.
    ...(rejectionCloses.length > 0 ? { rejectionCloses: set(...rejectionCloses), failureCloses: set(...rejectionCloses) } : {}),
    errorEvent: { name: 'error', destroys: bool(entry.errorReleases, `${where}.errorReleases`, false) },
    closeEvent: (entry.closeEvents as string[] | undefined)?.[0] ?? 'close',
    closedEvents: set(...(entry.closeEvents === undefined ? ['close'] : names(entry.closeEvents, where, 'closeEvents', false))),
    peerCanClose: bool(entry.peerCanClose, `${where}.peerCanClose`, false),
    peerClosesWithError: bool(entry.peerClosesWithError, `${where}.peerClosesWithError`, false),
    ...(bool(entry.usesThrow, `${where}.usesThrow`, false) ? { usesThrow: true } : {}),
    disposable: bool(entry.disposable, `${where}.disposable`, false),
    isStream: false,
    guards:
      entry.deadProperties === undefined && entry.aliveProperties === undefined
        ? NO_GUARDS
        : {
            deadProperties: set(...names(entry.deadProperties, where, 'deadProperties', false)),
            aliveProperties: set(...names(entry.aliveProperties, where, 'aliveProperties', false)),
          },
    suggestedRelease: release.map((r) => `${r}()`).join(' or '),
    finallyRelease,
  };
  return { kind, names: new Set(spec.names), qualified: false, source: spec.source };
}

const resolvedCache = new WeakMap<object, ResolvedSettings>();
const EMPTY: ResolvedSettings = { endIsRelease: undefined, bindings: [], key: '' };

/** Reads and validates `settings['socket-close']`; throws a {@link SettingsError} naming the bad entry. */
export function resolveSettings(settings: Readonly<Record<string, unknown>> | undefined): ResolvedSettings {
  const raw = settings?.['socket-close'];
  if (raw === undefined) return EMPTY;
  if (!isRecord(raw)) throw new SettingsError('', 'expected an object');
  const cached = resolvedCache.get(raw);
  if (cached) return cached;
  for (const k of Object.keys(raw)) {
    if (k !== 'endIsRelease' && k !== 'resources') throw new SettingsError(`.${k}`, 'unknown property (known: endIsRelease, resources)');
  }
  const endIsRelease = raw.endIsRelease === undefined ? undefined : bool(raw.endIsRelease, '.endIsRelease', true);
  if (raw.resources !== undefined && !Array.isArray(raw.resources)) throw new SettingsError('.resources', 'expected an array');
  const bindings = ((raw.resources ?? []) as unknown[]).map((entry, i) => declaredKind(entry, `.resources[${i}]`));
  const resolved: ResolvedSettings = { endIsRelease, bindings, key: JSON.stringify(raw) };
  resolvedCache.set(raw, resolved);
  return resolved;
}
