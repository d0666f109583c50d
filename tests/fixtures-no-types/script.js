// Linted by tests/setup-diagnostics.test.ts with the code of each test.
