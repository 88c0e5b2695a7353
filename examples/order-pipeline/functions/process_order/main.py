"""Processes one batch of orders from the orders queue."""

import json
import os


def handler(event, context):
    records = event.get("Records") or event.get("messages") or []
    failures = []
    for record in records:
        try:
            order = json.loads(record.get("body") or record.get("data") or "{}")
            print(f"order {order.get('id')} for {os.environ.get('DB_HOST')}")
        except ValueError:
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}
