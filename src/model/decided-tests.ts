import type { TSESTree } from '@typescript-eslint/utils';
import * as ts from 'typescript';
import { calleeMember, climbValue, enclosingFunction, propertyName, someStatementBefore, unwrap } from '../engine/ast';
import { AST_NODE_TYPES } from '../engine/node-types';
import { recover } from '../engine/strict';
import type { Services } from './bindings';
import { callbackRole } from './callbacks';

const { TypeFlags } = ts;

/**
 * Tests whose outcome the types decide, for the flow solver's pruning (see {@link TestDecider}):
 * - `x === 'b'` (also `!==`, `==`, `!=`, either side, a literal or a `Name.member` constant on one side) where the
 *   type TypeScript narrowed `x` to there is that one literal: the last test of an exhaustive `if`/`else if` chain
 *   over a union of literals (or a discriminated union's tag) is always true, its `else` never runs;
 * - a `switch` without `default` whose cases' literal types cover every member of its discriminant's type: one of
 *   them always matches.
 * Anything else (a non-literal member such as `string` or `undefined`, a type TypeScript cannot narrow) decides
 * nothing. Answers are cached per node.
 */
export class DecidedTests {
  private readonly cache = new Map<TSESTree.Node, boolean | null>();
  private readonly checker: ts.TypeChecker;

  /**
   * @param stable is this name's value the one it was declared with (a `const`, or a parameter or `let` never
   *   assigned after)? TypeScript keeps a narrowing across calls that may assign a variable (from a closure), so only
   *   comparisons of such a name, or of a property of one, are decided.
   */
  constructor(
    private readonly services: Services,
    private readonly stable: (id: TSESTree.Identifier) => boolean,
    /** The parameter a name reads, with its function and position, when it is a plain parameter (no default). */
    private readonly parameterOf: (id: TSESTree.Identifier) => { fn: TSESTree.Node; index: number } | undefined = () => undefined,
    /**
     * The initialiser of the declaration a stable name reads (`const address = server.address()`), and the key it is
     * taken from when the declaration destructures it (`const { authorized } = socket`: `socket`, `authorized`).
     */
    private readonly initialiser: (id: TSESTree.Identifier) => { init: TSESTree.Node; key?: string } | undefined = () => undefined,
    /** The calls inside a node, outside-in (the file's syntax index). */
    private readonly callsWithin: (node: TSESTree.Node) => readonly TSESTree.CallExpression[] = () => [],
  ) {
    this.checker = services.program.getTypeChecker();
  }

  decide(node: TSESTree.Node): boolean | undefined {
    let answer = this.cache.get(node);
    if (answer === undefined) {
      try {
        answer =
          (node.type === AST_NODE_TYPES.SwitchStatement
            ? this.exhaustive(node)
            : node.type === AST_NODE_TYPES.Identifier
              ? (this.absentArgument(node) ?? this.listeningAddress(node))
              : node.type === AST_NODE_TYPES.LogicalExpression
                ? this.logical(node)
                : (this.comparison(node) ?? this.listeningAddress(node) ?? this.verifiedPeer(node))) ?? null;
      } catch (error) {
        answer = recover(error, null);
      }
      this.cache.set(node, answer);
    }
    return answer ?? undefined;
  }

  /**
   * `socket.bind(function (err) { if (err) … })`: a parameter of a callback (a function written as an argument) at a
   * position past every parameter of the callback type the call expects (dgram's `bind(callback?: () => void)`, a
   * `listen()` or `connect()` callback) is never given an argument: it is `undefined`, and a test of it is false.
   * Only for a parameter never assigned, without a default, where every signature of that type has fewer parameters
   * and no rest parameter.
   */
  private absentArgument(id: TSESTree.Identifier): boolean | undefined {
    if (!this.stable(id)) return undefined;
    const param = this.parameterOf(id);
    const fn = param?.fn;
    if (!param || !fn || (fn.type !== AST_NODE_TYPES.FunctionExpression && fn.type !== AST_NODE_TYPES.ArrowFunctionExpression)) return undefined;
    const call = fn.parent;
    if ((call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) || !call.arguments.includes(fn)) return undefined;
    const tsFn = this.services.esTreeNodeToTSNodeMap.get(fn) as ts.Expression | undefined;
    const contextual = tsFn ? this.checker.getContextualType(tsFn) : undefined;
    // An optional callback parameter (`callback?: () => void`) is contextually `(() => void) | undefined`.
    const expected = contextual && this.checker.getNonNullableType(contextual);
    if (!expected || expected.flags & (TypeFlags.Any | TypeFlags.Unknown)) return undefined;
    const signatures = expected.getCallSignatures();
    if (signatures.length === 0) return undefined;
    for (const sig of signatures) {
      const params = sig.getParameters();
      if (params.length > param.index) return undefined;
      const last = params[params.length - 1]?.valueDeclaration;
      if (last && ts.isParameter(last) && last.dotDotDotToken) return undefined;
    }
    return false;
  }

  /** `a || b` and `a && b` whose operands decide the whole (`||`: one true, or both false). */
  private logical(node: TSESTree.LogicalExpression): boolean | undefined {
    if (node.operator === '??') return undefined;
    // `!authorized && opts.rejectUnauthorized !== false` with `opts` the options the socket was made with.
    if (node.operator === '&&' && (this.unverifiedAndRejecting(node.left, node.right) || this.unverifiedAndRejecting(node.right, node.left))) return false;
    const left = this.decide(node.left);
    const right = this.decide(node.right);
    const short = node.operator === '||';
    if (left === short || right === short) return short;
    return left === !short && right === !short ? !short : undefined;
  }

  /**
   * `const address = server.address(); if (!address || typeof address === 'string') throw …` (also `if (address &&
   * typeof address === 'object')`) once the server listens:
   * inside the callback of its `listen(…)`, a `'listening'` listener of it, or after an awaited statement of the same
   * function that calls its `listen(…)` (`await new Promise((r) => server.listen(0, r))`). A listening server's address
   * is no `null`; given a port (a number, or options without `path`) it is no pipe name (a string) either.
   */
  private listeningAddress(node: TSESTree.Node): boolean | undefined {
    let id: TSESTree.Node | undefined;
    let nullTest: boolean | undefined;
    let stringTest: boolean | undefined;
    if (node.type === AST_NODE_TYPES.Identifier) {
      // `if (address && …)`: a listening server's address is there.
      id = node;
      nullTest = true;
    } else if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') {
      id = node.argument;
      nullTest = false;
    } else if (node.type === AST_NODE_TYPES.BinaryExpression && ['===', '==', '!==', '!='].includes(node.operator)) {
      const equal = node.operator === '===' || node.operator === '==';
      const isNull = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Literal && n.value === null && !('regex' in n);
      const typeOf = (n: TSESTree.Node): TSESTree.Node | undefined => (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === 'typeof' ? n.argument : undefined);
      const isString = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Literal && n.value === 'string';
      // `typeof address === 'object'`: on a port, the address is an object (and no `null`).
      const isObject = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Literal && n.value === 'object';
      if (isNull(node.right) || isNull(node.left)) {
        id = isNull(node.right) ? node.left : node.right;
        nullTest = !equal;
      } else if ((typeOf(node.left) && isString(node.right)) || (typeOf(node.right) && isString(node.left))) {
        id = typeOf(node.left) ?? typeOf(node.right);
        stringTest = !equal;
      } else if ((typeOf(node.left) && isObject(node.right)) || (typeOf(node.right) && isObject(node.left))) {
        id = typeOf(node.left) ?? typeOf(node.right);
        stringTest = equal;
      }
    }
    if (id?.type !== AST_NODE_TYPES.Identifier || !this.stable(id)) return undefined;
    const found = this.initialiser(id);
    // `server?.address()`: the chain's call.
    const init = found && found.key === undefined ? unwrap(found.init) : undefined;
    const call = init?.type === AST_NODE_TYPES.CallExpression ? init : undefined;
    const member = call?.callee.type === AST_NODE_TYPES.MemberExpression ? call.callee : undefined;
    const server = member?.object;
    if (!call || call.arguments.length > 0 || !member || member.computed || member.property.type !== AST_NODE_TYPES.Identifier || member.property.name !== 'address' || server?.type !== AST_NODE_TYPES.Identifier || !this.stable(server)) return undefined;
    const listen = this.listenBefore(call, server.name);
    if (!listen) return undefined;
    if (nullTest !== undefined) return nullTest;
    return this.listensOnPort(listen) ? stringTest : undefined;
  }

  /**
   * `sock.authorized` (or a name destructured from it) read in the callback of the `tls.connect(…)` that made `sock`,
   * whose options leave `rejectUnauthorized` at its default (`true`): a peer whose certificate does not verify fails the
   * handshake with an `'error'` (the socket destroyed) before that callback runs, so there it is always `true`.
   * `!authorized` is then false.
   */
  private verifiedPeer(node: TSESTree.Node): boolean | undefined {
    const negated = node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!';
    const read = this.authorizedRead(negated ? node.argument : node);
    if (!read || this.rejectsUnverified(read.connect) !== true) return undefined;
    return !negated;
  }

  /** `!authorized` next to `options.rejectUnauthorized !== false` for the options `tls.connect(…)` was given. */
  private unverifiedAndRejecting(negation: TSESTree.Node, check: TSESTree.Node): boolean {
    if (negation.type !== AST_NODE_TYPES.UnaryExpression || negation.operator !== '!') return false;
    const read = this.authorizedRead(negation.argument);
    if (!read || check.type !== AST_NODE_TYPES.BinaryExpression || (check.operator !== '!==' && check.operator !== '!=')) return false;
    const [member, other] = check.left.type === AST_NODE_TYPES.MemberExpression ? [check.left, check.right] : [check.right, check.left];
    if (member.type !== AST_NODE_TYPES.MemberExpression || member.computed || member.property.type !== AST_NODE_TYPES.Identifier || member.property.name !== 'rejectUnauthorized') return false;
    if (other.type !== AST_NODE_TYPES.Literal || other.value !== false || member.object.type !== AST_NODE_TYPES.Identifier) return false;
    const name = member.object.name;
    return read.connect.arguments.some((a) => a.type === AST_NODE_TYPES.Identifier && a.name === name);
  }

  /**
   * A read of a TLS socket's `authorized` inside the callback of the `connect(…)` call that made it: `sock.authorized`,
   * or a name destructured from `sock` (`const { authorized } = sock`), `sock` a stable name.
   */
  private authorizedRead(node: TSESTree.Node): { connect: TSESTree.CallExpression } | undefined {
    let socket: TSESTree.Node | undefined;
    if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === 'authorized') socket = node.object;
    else if (node.type === AST_NODE_TYPES.Identifier && this.stable(node)) {
      const found = this.initialiser(node);
      if (found?.key === 'authorized') socket = found.init;
    }
    if (socket?.type !== AST_NODE_TYPES.Identifier || !this.stable(socket)) return undefined;
    const made = this.initialiser(socket);
    const connect = made?.key === undefined && made?.init.type === AST_NODE_TYPES.CallExpression ? made.init : undefined;
    const callee = connect?.callee;
    // `tls.connect(…)`, or `connect(…)` imported by name.
    const name = callee?.type === AST_NODE_TYPES.Identifier ? callee.name : callee?.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : undefined;
    if (!connect || name !== 'connect') return undefined;
    const callback = connect.arguments[connect.arguments.length - 1];
    // Read in the callback's own code (not in a later listener inside it).
    if (!callback || enclosingFunction(node) !== callback) return undefined;
    const tsSocket = this.services.esTreeNodeToTSNodeMap.get(socket);
    const symbol = tsSocket ? this.checker.getTypeAtLocation(tsSocket).getSymbol() : undefined;
    return symbol?.getName() === 'TLSSocket' ? { connect } : undefined;
  }

  /**
   * Do the options of this `connect(…)` keep `rejectUnauthorized` at `true`: every object literal among its arguments
   * leaves it out or sets it to literal `true`, and every other argument is a number, a string or the callback?
   * Undefined when an argument may be options that say otherwise (a parameter, a spread).
   */
  private rejectsUnverified(connect: TSESTree.CallExpression): boolean | undefined {
    const callback = connect.arguments[connect.arguments.length - 1];
    for (const a of connect.arguments) {
      if (a === callback) continue;
      if (a.type === AST_NODE_TYPES.ObjectExpression) {
        for (const p of a.properties) {
          if (p.type !== AST_NODE_TYPES.Property) return undefined;
          if (p.computed || p.key.type !== AST_NODE_TYPES.Identifier || p.key.name !== 'rejectUnauthorized') continue;
          if (!(p.value.type === AST_NODE_TYPES.Literal && p.value.value === true)) return undefined;
        }
        continue;
      }
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(a);
      if (!tsNode || !(this.checker.getTypeAtLocation(tsNode).flags & (TypeFlags.NumberLike | TypeFlags.StringLike))) return undefined;
    }
    return true;
  }

  /**
   * The `name.listen(…)` call after which `call` runs: after an awaited statement of its own function (or of the module)
   * that calls it (`await new Promise((r) => server.listen(0, r))`), or in the function given as its last argument, or
   * in a `name.on('listening', …)` / `once` listener (then any `listen(…)` of the function that registers it).
   */
  private listenBefore(call: TSESTree.Node, name: string): TSESTree.CallExpression | undefined {
    const isListen = (c: TSESTree.CallExpression): boolean => {
      const member = calleeMember(c);
      const object = member && unwrap(member.object);
      if (!member || propertyName(member) !== 'listen') return false;
      if (object?.type === AST_NODE_TYPES.Identifier) return object.name === name;
      // `const server = createServer(handler).listen(0, () => server.address())`: `listen()` returns the server it is
      // called on, the one the name holds.
      const holder = climbValue(c).parent;
      return (object?.type === AST_NODE_TYPES.CallExpression || object?.type === AST_NODE_TYPES.NewExpression) && holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier && holder.id.name === name;
    };
    const listenIn = (root: TSESTree.Node): TSESTree.CallExpression | undefined => this.callsWithin(root).find(isListen);
    const fn = enclosingFunction(call);
    let awaited: TSESTree.CallExpression | undefined;
    const awaitsListen = (st: TSESTree.Node): boolean =>
      st.type === AST_NODE_TYPES.ExpressionStatement && st.expression.type === AST_NODE_TYPES.AwaitExpression && !!(awaited = listenIn(st));
    if (someStatementBefore(call, fn, awaitsListen)) return awaited;
    const role = fn ? callbackRole(fn) : undefined;
    if (!role) return undefined;
    if (role.via === 'callback' && isListen(role.call) && role.call.arguments[role.call.arguments.length - 1] === fn) return role.call;
    const emitter = role.emitter && unwrap(role.emitter);
    if (role.via === 'listener' && role.event === 'listening' && emitter?.type === AST_NODE_TYPES.Identifier && emitter.name === name) {
      // Any `listen(…)` of the function that registers it (of the module, at its top).
      let around: TSESTree.Node | undefined = enclosingFunction(role.call);
      if (!around) for (around = role.call; around.parent; around = around.parent);
      return listenIn(around);
    }
    return undefined;
  }

  /** Is the first argument of this `listen(…)` a port: a number, or an options object without `path`? */
  private listensOnPort(listen: TSESTree.CallExpression): boolean {
    const first = listen.arguments[0];
    if (!first || first.type === AST_NODE_TYPES.SpreadElement) return false;
    if (first.type === AST_NODE_TYPES.ObjectExpression) {
      return first.properties.every((p) => p.type === AST_NODE_TYPES.Property && !p.computed && !(p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'path'));
    }
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(first);
    return !!tsNode && !!(this.checker.getTypeAtLocation(tsNode).flags & TypeFlags.NumberLike);
  }

  private comparison(node: TSESTree.Node): boolean | undefined {
    if (node.type !== AST_NODE_TYPES.BinaryExpression) return undefined;
    const equal = node.operator === '===' || node.operator === '==';
    if (!equal && node.operator !== '!==' && node.operator !== '!=') return undefined;
    const [other, constant] = isConstant(node.right) ? [node.left, node.right] : isConstant(node.left) ? [node.right, node.left] : [];
    if (!other || !constant || !this.ofStableName(other)) return undefined;
    const key = this.singleLiteral(constant);
    if (key === undefined) return undefined;
    const members = this.literalMembers(other);
    if (members?.length !== 1 || members[0] !== key) return undefined;
    return equal;
  }

  private exhaustive(sw: TSESTree.SwitchStatement): boolean | undefined {
    if (sw.cases.length === 0 || sw.cases.some((c) => c.test === null) || !this.ofStableName(sw.discriminant)) return undefined;
    const members = this.literalMembers(sw.discriminant);
    if (!members || members.length === 0) return undefined;
    const covered = new Set<string>();
    for (const c of sw.cases) {
      const key = c.test ? this.singleLiteral(c.test) : undefined;
      if (key !== undefined) covered.add(key);
    }
    return members.every((m) => covered.has(m)) ? true : undefined;
  }

  /** A stable name (see the constructor) or a chain of non-computed properties of one (`msg.kind`, `a.b.c`). */
  private ofStableName(node: TSESTree.Node): boolean {
    let n = node;
    while (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) n = n.object;
    return n.type === AST_NODE_TYPES.Identifier && this.stable(n);
  }

  /** The literal key of the type of an expression that has exactly one literal type, else undefined. */
  private singleLiteral(node: TSESTree.Node): string | undefined {
    const members = this.literalMembers(node);
    return members?.length === 1 ? members[0] : undefined;
  }

  /** The literal keys of the members of an expression's (narrowed) type; undefined when one of them is no literal. */
  private literalMembers(node: TSESTree.Node): string[] | undefined {
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
    if (!tsNode) return undefined;
    const type = this.checker.getTypeAtLocation(tsNode);
    const keys: string[] = [];
    for (const t of type.isUnion() ? type.types : [type]) {
      const key = literalKey(t);
      if (key === undefined) return undefined;
      keys.push(key);
    }
    return keys;
  }
}

/** A literal (no `null`, no regular expression) or a `Name.member` constant (an enum member, a frozen object's). */
function isConstant(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.Literal) return typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean';
  if (node.type === AST_NODE_TYPES.TemplateLiteral) return node.expressions.length === 0;
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.object.type === AST_NODE_TYPES.Identifier;
}

/** One key per literal value: string, number, big integer and boolean literal types (enum members by their value). */
function literalKey(t: ts.Type): string | undefined {
  if (t.flags & TypeFlags.BooleanLiteral) return `b:${(t as unknown as { intrinsicName: string }).intrinsicName}`;
  if (t.isStringLiteral()) return `s:${t.value}`;
  if (t.isNumberLiteral()) return `n:${t.value}`;
  if (t.flags & TypeFlags.BigIntLiteral) {
    const v = (t as ts.BigIntLiteralType).value;
    return `i:${v.negative ? '-' : ''}${v.base10Value}`;
  }
  return undefined;
}
