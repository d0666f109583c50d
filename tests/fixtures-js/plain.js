// Stand-in for the JavaScript file tests/robustness.test.ts lints (its text comes from the test; the tsconfig here
// includes this file by name pattern).
