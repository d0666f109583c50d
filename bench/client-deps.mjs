// The client libraries and typings that the project triages lint against (bench/projects.mjs, bench/triage/).
/** Client libraries and typings, at the versions the projects of bench/projects.mjs declare (one shared install each). */
export const CLIENT_DEPS = {
  '@types/node': '20.19.43',
  pg: '8.23.1',
  '@types/pg': '8.23.1',
  ioredis: '5.9.2',
  redis: '5.9.0',
  mqtt: '5.16.0',
  ws: '8.23.0',
  '@types/ws': '8.18.2',
  ssh2: '1.17.0',
  '@types/ssh2': '1.15.6',
  amqplib: '0.10.9',
  '@types/amqplib': '0.10.8',
  mongodb: '6.22.0',
  mysql2: '3.24.6',
  undici: '7.30.2',
};
