// Serves a small report over HTTPS.
exports.handler = async () => ({
  statusCode: 200,
  body: JSON.stringify({ queue: process.env.EVENTS_QUEUE }),
});
