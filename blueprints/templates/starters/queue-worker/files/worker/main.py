"""Handles one batch of messages from the queue."""

import json


def handler(event, context):
    records = event.get("Records") or event.get("messages") or []
    failures = []
    for record in records:
        try:
            message = json.loads(record.get("body") or record.get("data") or "{}")
            print(f"message {message}")
        except ValueError:
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}
