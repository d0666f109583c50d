// Re-exports the factory: reaching goes through it.
export { dial as open } from './wrapper';
