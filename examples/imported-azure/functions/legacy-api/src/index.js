const { app } = require("@azure/functions");

app.http("api", {
  methods: ["GET", "POST"],
  authLevel: "anonymous",
  route: "orders/{id?}",
  handler: async (request) => ({ jsonBody: { id: request.params.id ?? null, db: process.env.ORDERS_DB } }),
});
