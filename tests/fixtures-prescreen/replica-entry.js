// The entry file of a CommonJS program whose start-up function, called where it is written, makes the one instance
// of the class that the linted script.js exports (tests/rules/triage-twentyninth.test.ts).
const ReplicaLink = require('./script');

(function init(args) {
  if (args.length === 2) {
    const link = new ReplicaLink('127.0.0.1', Number(args[1]));
    link.start();
  }
})(process.argv.slice(2));
