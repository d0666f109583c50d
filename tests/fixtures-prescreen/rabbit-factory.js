// A CommonJS helper module whose export is the function itself: a new connection and channel per call, the channel
// returned (its connection with it).
const amqp = require('amqplib');

module.exports = async () => {
  const conn = await amqp.connect('amqp://127.0.0.1');
  const channel = await conn.createChannel();
  return channel;
};
