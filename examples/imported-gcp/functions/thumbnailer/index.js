const functions = require("@google-cloud/functions-framework");

functions.http("thumbnail", (req, res) => {
  res.json({ width: Number(req.query.width || 128) });
});
