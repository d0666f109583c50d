import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { contains } from '../engine/ast';
import type { FlowRecorder } from '../engine/flow';
import type { KindRegistry } from '../kinds/registry';
import type { ClassNode, Services } from './bindings';
import { Effects } from './effects';
import type { Resource } from './resource';
import { ResourceBuilder } from './resources';
import { Guards } from './guards';
import { ValueIndex } from './values';
import { SyntaxIndex } from './syntax-index';

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

  /** The file's syntax index (its own pass over ESLint's cached traversal, on first use). */
  get syntax(): SyntaxIndex {
    this.syntaxIndex ??= new SyntaxIndex(this, this.indexedNodes());
    return this.syntaxIndex;
  }

  constructor(sourceCode: TSESLint.SourceCode, services: Services, recorder: FlowRecorder, registry: KindRegistry) {
    super(sourceCode, services, recorder, registry);
  }

  /** The members that read a field of a class inside that class: `this.x`, and `self.x` with `const self = this`. */
  fieldMembers(field: { readonly name: string; readonly cls: ClassNode }): TSESTree.MemberExpression[] {
    return (this.syntax.membersByName.get(field.name) ?? []).filter(
      (n) => contains(field.cls.body, n) && this.thisLikeMemberName(n) === field.name && this.thisLikeClass(n.object) === field.cls,
    );
  }

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
