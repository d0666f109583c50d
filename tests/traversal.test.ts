/**
 * `forEachNode` (src/engine/ast.ts) reads the traversal ESLint computed before the rules ran
 * (`SourceCode#traverse()`), and walks the AST itself where that method is missing. Both must visit the same nodes
 * in the same order (parents first, siblings in source order): the pre-screen asks the type checker in that order.
 */
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { forEachNode, isVisitStep, traversalSteps, type TraversalStep } from '../src/engine/ast';
import { FlowRecorder } from '../src/engine/flow';

function sourceCodeOf(code: string): TSESLint.SourceCode {
  let captured: TSESLint.SourceCode | undefined;
  const linter = new Linter();
  linter.verify(code, [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser },
      plugins: { capture: { rules: { capture: { create(context) { captured = context.sourceCode as unknown as TSESLint.SourceCode; return {}; } } } } },
      rules: { 'capture/capture': 'error' },
    },
  ], 'file.ts');
  if (!captured) throw new Error('no source code captured');
  return captured;
}

describe('forEachNode', () => {
  const code = `
    import * as net from 'node:net';
    class Peer<T> extends net.Socket {
      #n = 1;
      constructor(private readonly id: string) { super(); }
      async send(x: T, y = [1, { z: 2 }]): Promise<void> {
        for (const v of [x, y]) if (v) this.write(String(v), () => void 0);
        label: while (this.#n-- > 0) { try { await 0; } catch { break label; } finally { this.end(); } }
      }
    }
    export const p = new Peer<number>('a'), q = p?.id ?? \`\${p.id}!\`;
  `;

  it('visits every node once, parents first, with and without the cached traversal', () => {
    const sc = sourceCodeOf(code);
    expect(typeof (sc as unknown as { traverse?: unknown }).traverse).toBe('function');
    const viaSteps: TSESTree.Node[] = [];
    forEachNode(sc, (n) => {
      viaSteps.push(n);
    });
    const walked: TSESTree.Node[] = [];
    forEachNode({ ast: sc.ast, visitorKeys: sc.visitorKeys } as unknown as TSESLint.SourceCode, (n) => {
      walked.push(n);
    });
    expect(walked.length).toBeGreaterThan(100);
    expect(walked).toEqual(viaSteps);
    expect(new Set(walked).size).toBe(walked.length);
    // `visit` returning true stops the visit there, with and without the cached traversal.
    for (const source of [sc, { ast: sc.ast, visitorKeys: sc.visitorKeys } as unknown as TSESLint.SourceCode]) {
      const seen: TSESTree.Node[] = [];
      forEachNode(source, (n) => {
        seen.push(n);
        return seen.length === 10;
      });
      expect(seen).toEqual(viaSteps.slice(0, 10));
    }
    // Pre-order: every node comes after its parent; siblings in the order of ESLint's visitor keys.
    const index = new Map(walked.map((n, i) => [n, i]));
    for (const n of walked) if (n.parent) expect(index.get(n.parent)).toBeLessThan(index.get(n) ?? -1);
    const calls = walked.filter((n) => n.type === 'CallExpression' || n.type === 'NewExpression');
    expect(calls.map((c) => c.range[0])).toEqual([...calls.map((c) => c.range[0])].sort((a, b) => a - b));
  });
});

/**
 * `FlowRecorder.replay` (src/engine/flow.ts) records the code paths from the same cached traversal instead of
 * listeners: both ways must give the same flows, segments and evaluation order.
 */
describe('FlowRecorder.replay', () => {
  const code = `
    import * as net from 'node:net';
    export async function f(host: string, n: number): Promise<number> {
      const s = net.connect(80, host);
      s.on('error', () => s.destroy());
      try {
        for (let i = 0; i < n; i++) { if (i % 2) continue; await new Promise((r) => setTimeout(r, i)); }
        switch (n) { case 1: s.write('a'); break; default: throw new Error('b'); }
        return n > 2 ? (s.end(), 1) : n ?? 0;
      } catch (e) { s.destroy(); throw e; } finally { s.unref?.(); }
    }
    export class C { x = () => 1; static { void 0; } m(a = 1) { return a && this.x(); } }
  `;

  function summary(rec: FlowRecorder): unknown {
    return rec.flows.map((f) => ({
      node: `${f.node.type}@${f.node.range[0]}`,
      parent: f.parent && `${f.parent.node.type}@${f.parent.node.range[0]}`,
      createdIn: f.createdIn.map((s) => s.id),
      segments: [...f.events.segments()].map((s) => s.id),
      events: [...f.events.segments()].map(({ id }) => [id, (f.events.get(id) ?? []).map((n) => `${n.type}@${n.range[0]}-${n.range[1]}`)]),
      starts: [...f.events.segments()].map(({ id }) => [id, `${f.events.startNode(id)?.type}@${f.events.startNode(id)?.range[0]}`]),
    }));
  }

  it('records what the listeners record, and knows which traversals it can replay', () => {
    const byListeners = new FlowRecorder();
    let steps: readonly TraversalStep[] | undefined;
    const linter = new Linter();
    linter.verify(code, [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser },
        plugins: {
          capture: {
            rules: {
              capture: {
                create(context) {
                  steps = traversalSteps(context.sourceCode as unknown as TSESLint.SourceCode);
                  return byListeners.listeners() as never;
                },
              },
            },
          },
        },
        rules: { 'capture/capture': 'error' },
      },
    ], 'file.ts');
    expect(FlowRecorder.replayable(steps)).toBe(true);
    const byReplay = new FlowRecorder();
    byReplay.replay(steps ?? []);
    expect(byListeners.flows.length).toBeGreaterThan(5);
    expect(byListeners.nodes.length).toBeGreaterThan(100);
    expect(summary(byReplay)).toEqual(summary(byListeners));
    expect(byReplay.nodes).toEqual(byListeners.nodes);
    // Steps without the code path events (a traversal of another language, or an older ESLint) are not replayed.
    expect(FlowRecorder.replayable((steps ?? []).filter((s) => isVisitStep(s)))).toBe(false);
    expect(FlowRecorder.replayable(undefined)).toBe(false);
    expect(FlowRecorder.replayable([])).toBe(false);
  });
});
