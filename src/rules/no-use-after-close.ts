import { engineListeners, MISSING_TYPES_MESSAGE, NO_TYPE_INFO_MESSAGE, useEngine } from '../engine/engine';
import { analyseUseAfterClose, type UseAfterCloseMessageId } from '../use-after-close/use-after-close';
import { createRule } from '../util/create-rule';

export interface NoUseAfterCloseOptions {
  reportDoubleRelease?: boolean;
  checkUnrelatedListeners?: boolean;
  endIsRelease?: boolean;
}

type Options = [NoUseAfterCloseOptions];
type MessageIds = UseAfterCloseMessageId | 'noTypeInfo' | 'missingTypes';

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
      useAfterRelease: '{{operation}} on the {{kind}} that may already be {{state}} ({{release}}).',
      deferredUse:
        '{{operation}} on the {{kind}} inside {{callback}}, which can run after it is released ({{release}}): check that it is still open, or cancel the callback when it is released.',
      doubleRelease: '{{operation}} on the {{kind}} that may already be released ({{release}}).',
      noTypeInfo: NO_TYPE_INFO_MESSAGE,
      missingTypes: MISSING_TYPES_MESSAGE,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          reportDoubleRelease: {
            type: 'boolean',
            description:
              'Also report a second release of a socket that may already be released (a second release that throws or rejects — dgram close(), pg release() and pool end(), amqplib close() — is always reported, unless the code handles that failure).',
          },
          checkUnrelatedListeners: {
            type: 'boolean',
            description:
              "Also report unguarded uses inside listeners of other emitters (e.g. `bus.on('msg', m => ws.send(m))`), which run after the peer may have closed the socket.",
          },
          endIsRelease: {
            type: 'boolean',
            description:
              "Deprecated: use `settings['socket-close'].endIsRelease`, which both rules share. Treat `end()` as a release, so that writes after it are reported; on by default. When set, this option overrides the setting for this rule.",
          },
        },
      },
    ],
    defaultOptions: [{ reportDoubleRelease: false, checkUnrelatedListeners: false }],
  },
  defaultOptions: [{ reportDoubleRelease: false, checkUnrelatedListeners: false }],
  create(context, [options]) {
    const engine = useEngine(context);
    const opts = {
      reportDoubleRelease: options.reportDoubleRelease ?? false,
      checkUnrelatedListeners: options.checkUnrelatedListeners ?? false,
      endIsRelease: options.endIsRelease ?? engine.settings.endIsRelease ?? true,
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
