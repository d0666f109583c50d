// The linted file of tests/reach.test.ts (its text comes from the test).
export {};
