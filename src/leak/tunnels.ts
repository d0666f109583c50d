import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { climbValue, enclosingFunction, isFunction, isNullishLiteral, line, propertyName, thisMemberName, unwrap } from '../engine/ast';
import * as ts from 'typescript';
import { recover } from '../engine/strict';
import { CONTAINER_ADD, EMITTER_CHAIN_METHODS, LISTENER_METHODS, PIPE_METHOD } from '../kinds/vocabulary';

/** Methods of a Node stream (and socket) that return the stream itself. */
const STREAM_SELF_METHODS = new Set(['setEncoding', 'pause', 'resume', 'setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']);
import { Collections } from '../model/collections';
import { callsMethodIn, type Variable } from '../model/bindings';
import type { FileModel } from '../model/file-model';
import { endsWhenClosed, isNodeStream } from '../model/streams';
import type { Resource } from '../model/resource';
import type { Detail } from './leak';

/**
 * Tunnels: `client.pipe(upstream)` ends `upstream` only when `client` ends cleanly. When `client` fails or is
 * destroyed, nothing ends `upstream` unless the function says so: a 'close' or 'error' listener of `client` (or a
 * call that watches it, `finished(client, cb)`) that releases `upstream`, an idle-timeout listener that releases
 * it, or `stream.pipeline()` instead of `pipe()`. Only a source the function does not own is considered (a
 * connection it was given); between two sockets it created itself, each one's own handling decides.
 */
export function tunnelDetails(m: FileModel, r: Resource, owned: ReadonlySet<Variable>): Detail[] {
  const sites: TSESTree.Node[] = [r.report, ...[...r.aliases].flatMap((v) => v.references.filter((ref) => !ref.init && !ref.isWrite()).map((ref) => ref.identifier))];
  for (const site of sites) {
    const value = climbValue(site);
    const call = value.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== value) continue;
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(callee) !== PIPE_METHOD) continue;
    const source = pipedValue(callee.object);
    const events = failureEvents(m, source, owned) ?? untypedTunnelEvents(m, r, source, call, owned);
    if (!events) continue;
    // A tunnel (the socket also pipes back into the source), or a source whose failure is handled elsewhere.
    if (!pipesBack(m, r, source, call) && !hasListener(m, source, events)) continue;
    if (releasedWhenSourceFails(m, r, source, events)) continue;
    if (r.registrations.some((reg) => reg.via === 'listener' && reg.event === r.kind.idleTimeout?.event && !!reg.fn && r.releasesInside(reg.fn))) continue;
    const name = source.type === AST_NODE_TYPES.Identifier ? source.name : `this.${thisMemberName(source) ?? ''}`;
    return [
      {
        rank: 3,
        text: `when '${name}' fails or is destroyed (${name}.pipe() at line ${line(call)} ends it only when '${name}' ends cleanly; or use stream.pipeline())`,
      },
    ];
  }
  return dataRelayDetails(m, r, owned);
}

/**
 * A tunnel written with 'data' listeners (`client.on('data', (d) => upstream.write(d))` and back): as with
 * `pipe()`, when the source fails or is destroyed nothing ends `r` unless a 'close' or 'error' listener of the
 * source (or a call watching it) releases it.
 */
function dataRelayDetails(m: FileModel, r: Resource, owned: ReadonlySet<Variable>): Detail[] {
  const isAlias = (n: TSESTree.Node): boolean => {
    const u = unwrap(n);
    const v = u.type === AST_NODE_TYPES.Identifier ? m.varOf.get(u) : undefined;
    return !!v && r.aliases.has(v);
  };
  const listeners = m.syntax.callsNamed(LISTENER_METHODS);
  const writes = m.syntax.callsNamed(WRITE_METHODS);
  /** The 'data' listeners registered on `from` (by the test) whose function writes to `to` (by the test). */
  const relays = (from: (n: TSESTree.Node) => boolean, to: (n: TSESTree.Node) => boolean): TSESTree.CallExpression[] =>
    listeners.filter((call) => {
      const callee = unwrap(call.callee);
      const event = call.arguments[0];
      const fn = call.arguments[1] ? m.functionValue(call.arguments[1]) : undefined;
      if (callee.type !== AST_NODE_TYPES.MemberExpression || event?.type !== AST_NODE_TYPES.Literal || event.value !== 'data' || !fn || !from(callee.object)) return false;
      return writes.some((w) => {
        const wc = unwrap(w.callee);
        return wc.type === AST_NODE_TYPES.MemberExpression && fn.range[0] <= w.range[0] && w.range[1] <= fn.range[1] && to(wc.object);
      });
    });
  // No 'data' listener of the socket writes anywhere: it relays back into no source (the common case).
  if (relays(isAlias, () => true).length === 0) return [];
  for (const inbound of relays((n) => !isAlias(n), isAlias)) {
    const source = unwrap((unwrap(inbound.callee) as TSESTree.MemberExpression).object);
    const events = failureEvents(m, source, owned);
    if (!events) continue;
    // Both ways: the socket relays back into the source (a tunnel).
    const back = relays(isAlias, (n) => sameStream(m, n, source));
    if (back.length === 0) continue;
    if (releasedWhenSourceFails(m, r, source, events)) continue;
    if (r.registrations.some((reg) => reg.via === 'listener' && reg.event === r.kind.idleTimeout?.event && !!reg.fn && r.releasesInside(reg.fn))) continue;
    const name = source.type === AST_NODE_TYPES.Identifier ? source.name : `this.${thisMemberName(source) ?? ''}`;
    return [
      {
        rank: 3,
        text: `when '${name}' fails or is destroyed (its 'data' listener at line ${line(inbound)} relays into it, and nothing releases it when '${name}' closes or errors)`,
      },
    ];
  }
  return [];
}

const WRITE_METHODS = new Set(['write']);

/**
 * For a relay source the function does not own (a parameter, a field), of a resource kind that is a stream or a plain
 * Node stream (`server.on('connect', (req, client) => …)` and 'upgrade' hand over a `stream.Duplex`): the events that
 * tell that it failed ('close', 'error'). Undefined for any other source.
 */
function failureEvents(m: FileModel, source: TSESTree.Node, owned: ReadonlySet<Variable>): Array<string | undefined> | undefined {
  const kind = m.kindOfNode(source);
  if (kind ? !kind.isStream : !isNodeStream(m, source) || endsWhenClosed(m, source)) return undefined;
  if (!givenSource(m, source, owned)) return undefined;
  return kind ? [kind.closeEvent, kind.errorEvent?.name] : ['close', 'error'];
}

/** A source the function was given: a variable it does not own, or a field. */
function givenSource(m: FileModel, source: TSESTree.Node, owned: ReadonlySet<Variable>): boolean {
  if (source.type !== AST_NODE_TYPES.Identifier) return thisMemberName(source) !== undefined;
  const v = m.varOf.get(source);
  return !!v && !owned.has(v);
}

/**
 * `(conn) => { const up = net.connect(opts, () => { conn.pipe(up); up.pipe(conn); }); }` with `conn` untyped (a
 * CommonJS handler's parameter, `any`): piped into the socket and piped from it, it is a stream either way — a
 * tunnel's other end, failing with 'close' and 'error'. Not a source the function owns.
 */
function untypedTunnelEvents(m: FileModel, r: Resource, source: TSESTree.Node, forward: TSESTree.CallExpression, owned: ReadonlySet<Variable>): Array<string | undefined> | undefined {
  if (!givenSource(m, source, owned) || !pipesBack(m, r, source, forward)) return undefined;
  try {
    const tsNode = m.services.esTreeNodeToTSNodeMap.get(source);
    return m.checker.getTypeAtLocation(tsNode).flags & ts.TypeFlags.Any ? ['close', 'error'] : undefined;
  } catch (error) {
    return recover(error, undefined);
  }
}

/** Does `r` pipe back into `source`: `upstream.pipe(client)`, or `client.pipe(upstream).pipe(client)`? */
function pipesBack(m: FileModel, r: Resource, source: TSESTree.Node, forward: TSESTree.CallExpression): boolean {
  // Along the chain after it: `a.pipe(r).on('error', h).pipe(decode()).pipe(a)` — `r`'s own methods that return it,
  // then a pipe (past transforms made in place) back into the source.
  for (let call: TSESTree.CallExpression = forward; ; ) {
    const outer = climbValue(call);
    const member = outer.parent?.type === AST_NODE_TYPES.MemberExpression && outer.parent.object === outer ? outer.parent : undefined;
    const chained = member?.parent;
    if (!member || chained?.type !== AST_NODE_TYPES.CallExpression || chained.callee !== member) break;
    const name = propertyName(member);
    if (name === PIPE_METHOD) {
      const into = chained.arguments[0];
      const target = pipeTarget(chained);
      if ((into && sameStream(m, into, source)) || (target && sameStream(m, target, source))) return true;
      break;
    }
    if (name === undefined || !(EMITTER_CHAIN_METHODS.has(name) || STREAM_SELF_METHODS.has(name))) break;
    call = chained;
  }
  for (const v of r.aliases) {
    for (const ref of v.references) {
      const value = climbValue(ref.identifier);
      const p = value.parent;
      if (p?.type !== AST_NODE_TYPES.MemberExpression || p.object !== value || propertyName(p) !== PIPE_METHOD) continue;
      const call = p.parent;
      const target = call?.type === AST_NODE_TYPES.CallExpression ? pipeTarget(call) : undefined;
      if (target && sameStream(m, target, source)) return true;
    }
  }
  return false;
}

/** Does `source` have a listener for one of `events`? */
function hasListener(m: FileModel, source: TSESTree.Node, events: Array<string | undefined>): boolean {
  return m.syntax.callsNamed(LISTENER_METHODS).some((call) => {
    const callee = unwrap(call.callee);
    const event = call.arguments[0];
    return callee.type === AST_NODE_TYPES.MemberExpression && sameStream(m, callee.object, source) && event?.type === AST_NODE_TYPES.Literal && events.includes(String(event.value));
  });
}

/**
 * The stream a `pipe()` is called on: `a.pipe(b).pipe(c)` pipes from `b`; `a.on('error', h).pipe(c)` (also
 * `setEncoding()` and the other methods that return the stream itself) from `a`.
 */
function pipedValue(node: TSESTree.Node): TSESTree.Node {
  let n = unwrap(node);
  while (n.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(n.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    if (callee.type === AST_NODE_TYPES.MemberExpression && name !== undefined && (EMITTER_CHAIN_METHODS.has(name) || STREAM_SELF_METHODS.has(name))) {
      n = unwrap(callee.object);
      continue;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression || name !== PIPE_METHOD || !n.arguments[0]) break;
    const into = unwrap(n.arguments[0]);
    // `client.pipe(decrypt()).pipe(upstream)`: a transform made in place passes on what `client` gives.
    n = inPlaceStream(into) ? unwrap(callee.object) : into;
  }
  return n;
}

/** A stream made where it is piped into (`new Transform(…)`, `zlib.createGzip()`, `codec()`): no name holds it. */
function inPlaceStream(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.NewExpression) return true;
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  // Not a pipe chain (`a.pipe(b)` gives `b`, a named stream).
  const callee = unwrap(node.callee);
  return !(callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === PIPE_METHOD);
}

/** Where `call` (`x.pipe(y)`) ends up: `y`, or past transforms made in place (`x.pipe(encrypt()).pipe(z)`: `z`). */
function pipeTarget(call: TSESTree.CallExpression): TSESTree.Node | undefined {
  let c = call;
  for (;;) {
    const into = c.arguments[0] ? unwrap(c.arguments[0]) : undefined;
    if (!into || !inPlaceStream(into)) return into;
    const outer = climbValue(c);
    const next = outer.parent?.type === AST_NODE_TYPES.MemberExpression && outer.parent.object === outer && propertyName(outer.parent) === PIPE_METHOD ? outer.parent.parent : undefined;
    if (next?.type !== AST_NODE_TYPES.CallExpression) return into;
    c = next;
  }
}

/** Same binding or same `this` field. */
function sameStream(m: FileModel, a: TSESTree.Node, b: TSESTree.Node): boolean {
  const ua = unwrap(a);
  const ub = unwrap(b);
  if (ua.type === AST_NODE_TYPES.Identifier && ub.type === AST_NODE_TYPES.Identifier) {
    const va = m.varOf.get(ua);
    return !!va && va === m.varOf.get(ub);
  }
  const name = thisMemberName(ua);
  return name !== undefined && name === thisMemberName(ub);
}

/**
 * Is `r` released by a listener of `source` for one of `events`, or by a function handed to a call that watches
 * `source` (`finished(source, cb)`, `onEnd(source, cleanup)`)?
 */
function releasedWhenSourceFails(m: FileModel, r: Resource, source: TSESTree.Node, events: Array<string | undefined>): boolean {
  // `sockets.push(upstream)` into a collection of the function around (the escape that ends `r`'s own tracking),
  // whose elements a failure listener of the source releases (`for (const s of sockets) s.end()`).
  const holders = escapedIntoCollections(m, r);
  const collections = holders.length > 0 ? new Collections(m) : undefined;
  const releases = (fnNode: TSESTree.Node | undefined): boolean => {
    const fn = fnNode ? m.functionValue(fnNode) : undefined;
    return !!fn && (r.releasesInside(fn) || holders.some((c) => !!collections?.releasesElementsIn(c, fn)) || releasesOuterVariable(m, r, fn));
  };
  for (const call of m.syntax.callsNamed(LISTENER_METHODS)) {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || !sameStream(m, callee.object, source)) continue;
    const event = call.arguments[0];
    if (event?.type === AST_NODE_TYPES.Literal && events.includes(String(event.value)) && releases(call.arguments[1])) return true;
  }
  // A call given the source and a function that releases `r`.
  for (const v of sourceVariables(m, source)) {
    for (const ref of v.references) {
      const value = climbValue(ref.identifier);
      const call = value.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) continue;
      if (call.arguments.some((a) => (isFunction(a) || a.type === AST_NODE_TYPES.Identifier) && releases(a))) return true;
    }
  }
  return false;
}

/**
 * `let ps = null; client.once('upgrade', (res, socket) => { ps = socket; … })` and a failure listener of the source that
 * calls `ps?.destroy()`: a release of the variable of an outer function that `r` is stored into, when nothing else
 * is ever stored there (its declaration aside, which gives it no value, `null` or `undefined`).
 */
function releasesOuterVariable(m: FileModel, r: Resource, fn: TSESTree.Node): boolean {
  const store = r.outerStore;
  if (!store) return false;
  const v = store.variable;
  const onlyThis = v.references.every((ref) => {
    if (!ref.isWrite()) return true;
    if (ref.init) {
      const init = ref.writeExpr;
      return !init || isNullishLiteral(unwrap(init));
    }
    return ref.identifier.parent === store.assign && store.assign.left === ref.identifier;
  });
  return onlyThis && releasesVariableIn(m, r, v, fn, 0);
}

/** Does `fn` release `v` (a release method called on it), itself or through a function of the file it calls (`teardown()`)? */
function releasesVariableIn(m: FileModel, r: Resource, v: Variable, fn: TSESTree.Node, depth: number): boolean {
  if (callsMethodIn(v, fn, (name) => r.kind.releases.has(name))) return true;
  if (depth >= 2) return false;
  return m.syntax.callsWithin(fn).some((call) => {
    const callee = enclosingFunction(call) === fn ? m.functionValue(call.callee) : undefined;
    return !!callee && callee !== fn && releasesVariableIn(m, r, v, callee, depth + 1);
  });
}

/** The variables of collections that `r` is added to by one of its aliases (`sockets.push(s)`, `set.add(s)`). */
function escapedIntoCollections(m: FileModel, r: Resource): Variable[] {
  const out: Variable[] = [];
  for (const v of r.aliases) {
    for (const ref of v.references) {
      if (ref.init || ref.isWrite()) continue;
      const value = climbValue(ref.identifier);
      const call = value.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) continue;
      const callee = unwrap(call.callee);
      const target = callee.type === AST_NODE_TYPES.MemberExpression && CONTAINER_ADD.has(propertyName(callee) ?? '') ? unwrap(callee.object) : undefined;
      const held = target?.type === AST_NODE_TYPES.Identifier ? m.varOf.get(target) : undefined;
      if (held && !out.includes(held)) out.push(held);
    }
  }
  return out;
}

function sourceVariables(m: FileModel, source: TSESTree.Node): Variable[] {
  const u = unwrap(source);
  const v = u.type === AST_NODE_TYPES.Identifier ? m.varOf.get(u) : undefined;
  return v ? [v] : [];
}

