import base64
import json

import functions_framework


@functions_framework.cloud_event
def handler(cloud_event):
    order = json.loads(base64.b64decode(cloud_event.data["message"]["data"]))
    print(f"processing order {order.get('id')}")
