// Answers every request; DB_HOST and the other DB_ variables say where the database is.
exports.handler = async () => ({ statusCode: 200, body: `database at ${process.env.DB_HOST}\n` });
