// Placeholder: tests/prescreen.test.ts lints its own text under this name.
