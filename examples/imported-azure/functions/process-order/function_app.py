import json
import logging
import os

import azure.functions as func

app = func.FunctionApp()


@app.service_bus_queue_trigger(arg_name="msg", queue_name="%SERVICEBUS_ORDERS_QUEUE%",
                               connection="SERVICEBUS_ORDERS", is_sessions_enabled=True)
def process_order(msg: func.ServiceBusMessage) -> None:
    order = json.loads(msg.get_body())
    logging.info("order %s for %s", order["id"], os.environ["DB_HOST"])


@app.timer_trigger(arg_name="timer", schedule="0 0 2 * * *")
def nightly_report(timer: func.TimerRequest) -> None:
    logging.info("%s", os.environ["GREETING"])
