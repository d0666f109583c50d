// A CommonJS module that exports one shared client (a CLI's actions require it): tests/rules/triage-forty-second.test.ts.
const { Client } = require('pg');

module.exports = new Client({ connectionString: process.env.DATABASE_URL });
