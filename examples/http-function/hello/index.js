// Answers every request with a greeting.
exports.handler = async () => ({ statusCode: 200, body: "hello from skyform\n" });
