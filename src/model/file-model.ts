import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
const DefinitionType = TSESLint.Scope.DefinitionType;
import { isStrict } from '../engine/strict';
import { contains, isFunction, thisMemberName, unwrap } from '../engine/ast';
import type { FlowRecorder } from '../engine/flow';
import type { KindRegistry } from '../kinds/registry';
import { neverReassigned, soleAssignmentStatement, type ClassNode, type Services, type Variable } from './bindings';
import { Effects } from './effects';
import type { Resource } from './resource';
import { ResourceBuilder } from './resources';
import { Guards } from './guards';
import { ValueIndex } from './values';
import { SyntaxIndex } from './syntax-index';
import { DecidedTests } from './decided-tests';

export interface ModelOptions {
  /** Count the graceful release (`end()`) as a release. */
  endIsRelease: boolean;
}

/**
 * The facts one file gives about its resources, built once per file (shared by the rules) after ESLint has
 * recorded the code paths. Layered: bindings → types → creation sites → screens → effects → this class, which
 * adds the resources themselves (creation sites with their aliases, hand-offs, callbacks and releases).
 */
export class FileModel extends Effects {
  private readonly resourcesByOptions = new Map<string, Resource[]>();
  private syntaxIndex: SyntaxIndex | undefined;

  /**
   * The file's syntax index, on first use: over the nodes the code path recorder recorded (every node that is
   * evaluated), or, before the recording is complete, over a pass of its own over ESLint's cached traversal.
   */
  get syntax(): SyntaxIndex {
    if (!this.syntaxIndex) {
      const recorded = this.recorder.complete;
      this.syntaxIndex = new SyntaxIndex(this, recorded ? this.recorder.nodes : this.indexedNodes(), this.sourceCode.visitorKeys);
      if (recorded && isStrict()) {
        const shape = (x: SyntaxIndex): string =>
          JSON.stringify([x.callsByName, x.membersByName, x.valueSites, x.callSites].map((m) => [...m].map(([k, list]) => [typeof k === 'string' ? k : k.range, list.map((n) => n.range)])).concat([x.thisDestructurings.map((n) => n.range), x.calls.map((n) => n.range)]));
        if (shape(this.syntaxIndex) !== shape(new SyntaxIndex(this, this.indexedNodes()))) {
          throw new Error('socket-close: the syntax index over the recorded nodes differs from the one over the traversal');
        }
      }
    }
    return this.syntaxIndex;
  }

  constructor(sourceCode: TSESLint.SourceCode, services: Services, recorder: FlowRecorder, registry: KindRegistry) {
    super(sourceCode, services, recorder, registry);
    const decided = new DecidedTests(
      services,
      (id) => {
        const v = this.varOf.get(id);
        return !!v && v.defs.length === 1 && (neverReassigned(v) || this.assignedOnceBefore(v, id));
      },
      (id) => {
        const def = this.varOf.get(id)?.defs[0];
        if (def?.type !== DefinitionType.Parameter || !isFunction(def.node)) return undefined;
        const index = def.node.params.indexOf(def.name);
        return index >= 0 ? { fn: def.node, index } : undefined;
      },
      (id) => {
        const def = this.varOf.get(id)?.defs[0];
        if (def?.type !== DefinitionType.Variable || !def.node.init) return undefined;
        if (def.node.id === def.name) return { init: def.node.init };
        // `const { authorized } = socket`: a plain property of an object pattern.
        const prop = def.name.parent;
        if (def.node.id.type !== AST_NODE_TYPES.ObjectPattern || prop?.type !== AST_NODE_TYPES.Property || prop.parent !== def.node.id || prop.value !== def.name || prop.computed) return undefined;
        return prop.key.type === AST_NODE_TYPES.Identifier ? { init: def.node.init, key: prop.key.name } : undefined;
      },
      (node) => this.syntax.callsWithin(node),
    );
    recorder.decide = (test) => decided.decide(test);
  }

  /**
   * `let server = null; server = net.createServer(); server.listen(port, () => server.address())`: a `let` declared
   * without a value (or with `null`/`undefined`) and assigned once more, by a plain `=` statement of the declaration's
   * own block, read after that statement (later in the block, or in a function written there): every read sees the
   * assigned value, as it would see a `const`'s.
   */
  private assignedOnceBefore(v: Variable, id: TSESTree.Identifier): boolean {
    const def = v.defs[0];
    if (def?.type !== DefinitionType.Variable || def.parent.kind !== 'let' || def.node.id !== def.name) return false;
    if (def.node.init && !this.isNullish(unwrap(def.node.init))) return false;
    const statement = soleAssignmentStatement(v, def.parent)?.parent;
    return !!statement && id.range[0] >= statement.range[1];
  }

  /** The members that read a field of a class inside that class: `this.x`, and `self.x` with `const self = this`. */
  fieldMembers(field: { readonly name: string; readonly cls: ClassNode }): readonly TSESTree.MemberExpression[] {
    let byName = this.fieldMembersByClass.get(field.cls);
    if (!byName) this.fieldMembersByClass.set(field.cls, (byName = new Map<string, readonly TSESTree.MemberExpression[]>()));
    let members = byName.get(field.name);
    if (!members) {
      members = (this.syntax.membersByName.get(field.name) ?? []).filter(
        (n) => contains(field.cls.body, n) && thisMemberName(n) === field.name && this.thisLikeClass(n.object) === field.cls,
      );
      byName.set(field.name, members);
    }
    return members;
  }

  /** {@link fieldMembers}, computed once per class and field name. */
  private readonly fieldMembersByClass = new Map<ClassNode, Map<string, readonly TSESTree.MemberExpression[]>>();

  private readonly valuesByOptions = new Map<string, { index: ValueIndex; guards: Guards }>();

  /** The value view: every tracked resource value with its operations, and the liveness guards over them. */
  values(options: ModelOptions): { index: ValueIndex; guards: Guards } {
    const key = JSON.stringify(options);
    let v = this.valuesByOptions.get(key);
    if (!v) {
      const index = new ValueIndex(this, options);
      index.build();
      v = { index, guards: new Guards(this, index) };
      this.valuesByOptions.set(key, v);
    }
    return v;
  }

  /** All resources created in this file (computed once per option set). */
  resources(options: ModelOptions): Resource[] {
    const key = JSON.stringify(options);
    let list = this.resourcesByOptions.get(key);
    if (!list) {
      list = new ResourceBuilder(this, options).build();
      this.resourcesByOptions.set(key, list);
    }
    return list;
  }
}
