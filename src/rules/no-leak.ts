import { engineListeners, MISSING_TYPES_MESSAGE, NO_TYPE_INFO_MESSAGE, useEngine } from '../engine/engine';
import { analyseLeaks, type LeakMessageId } from '../leak/leak';
import { leakSuggestions } from '../leak/suggest';
import { createRule } from '../util/create-rule';

export interface NoLeakOptions {
  checkModuleScope?: boolean;
  endIsRelease?: boolean;
}

type Options = [NoLeakOptions];
type MessageIds = LeakMessageId | 'noTypeInfo' | 'missingTypes' | 'suggestFinally' | 'suggestAwaitUsing';

export default createRule<Options, MessageIds>({
  name: 'no-leak',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require every socket a function creates to be released or handed off on every path',
      recommended: true,
      requiresTypeChecking: true,
    },
    messages: {
      leak: 'This {{kind}} is not released {{detail}}: call {{release}} first, or hand it to an owner.',
      timeoutNotReleased:
        "This 'timeout' listener neither releases the {{kind}} nor hands it off: a 'timeout' event does not close the socket, call {{release}} here.",
      idleTimeoutUnhandled:
        "setTimeout() arms an idle timeout on this {{kind}}, but no 'timeout' listener releases it: the socket stays open when the timeout fires.",
      idleTimeoutOptionUnhandled:
        "The '{{option}}' option arms an idle timeout on this {{kind}} (it is no connect timeout), but no 'timeout' listener releases it: the socket stays open when the timeout fires.",
      fieldNeverReleased:
        "This {{kind}} is stored in '{{field}}', but nothing in the class releases '{{field}}': add a method that calls {{release}}.",
      variableNeverReleased:
        "This {{kind}} is stored in '{{variable}}', a variable that outlives the function storing it (the closures that use it keep it), but nothing releases '{{variable}}': call {{release}} on it somewhere, such as a close function those closures offer.",
      reconnectsAfterRelease:
        "{{operation}} releases this {{kind}} only until its '{{event}}' listener at line {{line}} opens it again: remove that listener first, or set a flag here that the reconnect checks.",
      fieldOverwritten:
        'This stores a new {{kind}} in {{field}}, which may still hold an open one: release the old socket ({{release}}) or check it before replacing it.',
      staleClear:
        "This '{{event}}' listener clears '{{field}}', but {{method}}() at line {{line}} releases the {{kind}} and stores a new one there before the old one's '{{event}}' event comes: the new {{kind}} is dropped open. Clear '{{field}}' only if it still holds the socket this listener was added to.",
      noTypeInfo: NO_TYPE_INFO_MESSAGE,
      missingTypes: MISSING_TYPES_MESSAGE,
      suggestFinally: 'Release it in a finally block: wrap the code after it in try/finally and call {{name}}.{{release}} there.',
      suggestAwaitUsing: "Declare it with 'await using' so that it is disposed when the block ends.",
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkModuleScope: {
            type: 'boolean',
            description:
              'Also check sockets created at module scope. Off by default: the process owns them and they live as long as it does.',
          },
          endIsRelease: {
            type: 'boolean',
            description:
              "Deprecated: use `settings['socket-close'].endIsRelease`, which both rules share. Count `end()` (a half-close) as a release; on by default. When set, this option overrides the setting for this rule.",
          },
        },
      },
    ],
    defaultOptions: [{ checkModuleScope: false }],
  },
  defaultOptions: [{ checkModuleScope: false }],
  create(context, [options]) {
    const engine = useEngine(context);
    const checkModuleScope = options.checkModuleScope ?? false;
    const endIsRelease = options.endIsRelease ?? engine.settings.endIsRelease ?? true;
    return engineListeners(
      context,
      engine,
      `leak:${String(checkModuleScope)}:${String(endIsRelease)}`,
      (model) => analyseLeaks(model, { checkModuleScope, endIsRelease }),
      (f) => {
        const suggestions = f.resource ? leakSuggestions(f.resource, context.sourceCode, engine.model()) : [];
        context.report({
          node: f.node,
          messageId: f.messageId,
          data: f.data,
          suggest: suggestions.map((s) => ({ messageId: s.messageId, data: s.data, fix: s.fix })),
        });
      },
    );
  },
});
