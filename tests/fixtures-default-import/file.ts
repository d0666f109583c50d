// Stand-in for the file the tests of this folder lint (its text comes from the test).
export default class RedisStore {
  constructor(readonly id: string) {}
}
