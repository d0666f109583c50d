import { engineListeners, NO_TYPE_INFO_MESSAGE, useEngine } from '../analysis/engine';
import { analyseUseAfterClose, type UseAfterCloseMessageId } from '../analysis/use-after-close';
import { createRule } from '../util/create-rule';

export interface NoUseAfterCloseOptions {
  reportDoubleRelease?: boolean;
  checkUnrelatedListeners?: boolean;
  endIsRelease?: boolean;
}

type Options = [NoUseAfterCloseOptions];
type MessageIds = UseAfterCloseMessageId | 'noTypeInfo';

export default createRule<Options, MessageIds>({
  name: 'no-use-after-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow socket operations after the socket may have been released',
      recommended: true,
      requiresTypeChecking: true,
    },
    messages: {
      useAfterRelease: '{{operation}} on a {{kind}} that may already be {{state}} ({{release}}).',
      deferredUse:
        '{{operation}} on a {{kind}} inside a {{callback}} that can run after the socket is released ({{release}}): check that it is still open, or stop the callback when the socket closes.',
      doubleRelease: '{{operation}} on a {{kind}} that may already be released ({{release}}).',
      noTypeInfo: NO_TYPE_INFO_MESSAGE,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          reportDoubleRelease: {
            type: 'boolean',
            description:
              'Also report a second release of a socket that may already be released (a dgram.Socket second close() is always reported, because it throws).',
          },
          checkUnrelatedListeners: {
            type: 'boolean',
            description:
              "Also report unguarded uses inside listeners of other emitters (e.g. `bus.on('msg', m => ws.send(m))`), which run after the peer may have closed the socket.",
          },
          endIsRelease: {
            type: 'boolean',
            description: 'Treat `end()` as a release, so that writes after it are reported. On by default.',
          },
        },
      },
    ],
    defaultOptions: [{ reportDoubleRelease: false, checkUnrelatedListeners: false, endIsRelease: true }],
  },
  defaultOptions: [{ reportDoubleRelease: false, checkUnrelatedListeners: false, endIsRelease: true }],
  create(context, [options]) {
    const engine = useEngine(context);
    const opts = {
      reportDoubleRelease: options.reportDoubleRelease ?? false,
      checkUnrelatedListeners: options.checkUnrelatedListeners ?? false,
      endIsRelease: options.endIsRelease ?? true,
    };
    return engineListeners(
      context,
      engine,
      `uac:${JSON.stringify(opts)}`,
      (model) => analyseUseAfterClose(model, opts),
      (f) => context.report({ node: f.node, messageId: f.messageId, data: f.data }),
    );
  },
});
