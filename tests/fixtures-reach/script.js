// The linted JavaScript file of tests/reach.test.ts (its text comes from the test).
