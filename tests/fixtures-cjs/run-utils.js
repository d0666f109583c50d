// A CommonJS module of script helpers (tests/rules/triage-forty-fourth.test.ts): its runner ends the process when the
// function it runs rejects.
exports.runMain = (main) => {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
};
