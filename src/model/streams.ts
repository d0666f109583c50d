/** Node streams by type: what a value's declared stream class promises about its events. */
import { type TSESTree } from '@typescript-eslint/utils';
import * as ts from 'typescript';
import { inNodeTypes } from '../kinds/registry';
import type { FileModel } from './file-model';

/**
 * Is the value a Node readable stream (its type is, or derives from, `stream.Readable` or `stream.Duplex`)? With
 * `orWritable`, any Node stream (`stream.Writable` too: an `http.ServerResponse`).
 */
export function isNodeStream(m: FileModel, node: TSESTree.Node, orWritable = false): boolean {
  const tsNode = m.services.esTreeNodeToTSNodeMap.get(node);
  return !!tsNode && derivesFromNodeStream(m.checker, m.checker.getTypeAtLocation(tsNode), orWritable ? ANY_STREAM : READABLE_STREAM, 0);
}

const READABLE_STREAM: ReadonlySet<string> = new Set(['Duplex', 'Readable']);
const ANY_STREAM: ReadonlySet<string> = new Set(['Duplex', 'Readable', 'Writable']);

function derivesFromNodeStream(checker: ts.TypeChecker, type: ts.Type, names: ReadonlySet<string>, depth: number): boolean {
  if (depth > 8) return false;
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
    return members.length > 0 && members.every((t) => derivesFromNodeStream(checker, t, names, depth + 1));
  }
  // `Readable & { submit(): void }`: a stream with more members.
  if (type.isIntersection()) return type.types.some((t) => derivesFromNodeStream(checker, t, names, depth + 1));
  const symbol = type.getSymbol();
  const name = symbol?.getName();
  if (name !== undefined && names.has(name) && symbol?.declarations?.some((d) => inNodeTypes(d.getSourceFile().fileName))) return true;
  const target = (type as ts.TypeReference).target ?? type;
  if (!target.isClassOrInterface()) return false;
  return checker.getBaseTypes(target).some((base) => derivesFromNodeStream(checker, base, names, depth + 1));
}

/**
 * Streams of a library that end themselves whenever they close, failure included: an ssh2 channel pushes its end
 * when the server closes it and when the whole connection dies (its channel manager closes every channel so), so
 * `channel.pipe(socket)` ends `socket` on every close but the program's own `channel.destroy()`.
 */
const STREAMS_ENDING_ON_CLOSE: ReadonlyArray<{ readonly path: RegExp; readonly names: ReadonlySet<string> }> = [
  { path: /\/(?:@types\/)?ssh2\//, names: new Set(['Channel', 'ClientChannel', 'ServerChannel']) },
];

/** Is the value one of {@link STREAMS_ENDING_ON_CLOSE} (each member of a union)? */
export function endsWhenClosed(m: FileModel, node: TSESTree.Node): boolean {
  const tsNode = m.services.esTreeNodeToTSNodeMap.get(node);
  if (!tsNode) return false;
  const type = m.checker.getTypeAtLocation(tsNode);
  const members = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  return (
    members.length > 0 &&
    members.every((t) => {
      const symbol = t.getSymbol();
      const files = symbol?.declarations?.map((d) => d.getSourceFile().fileName.replace(/\\/g, '/')) ?? [];
      return STREAMS_ENDING_ON_CLOSE.some((s) => s.names.has(symbol?.getName() ?? '') && files.some((f) => s.path.test(f)));
    })
  );
}
