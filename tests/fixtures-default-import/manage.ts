// The one construction of the class `file.ts` exports by default, under another local name, at the top of this
// module: tests/rules/triage-forty-second.test.ts.
import Store from './file.js';

export const streamCache = new Store('streams');
