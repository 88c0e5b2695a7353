# A neutral queue on Azure: a Service Bus queue in a namespace of its own.
#
# Service Bus always dead-letters: a message that reaches max_delivery_count
# moves to the queue's built-in $DeadLetterQueue sub-queue, so there is no
# second queue to create. FIFO is approximated with sessions: order holds per
# session id, which senders must set, and duplicates are detected by message id.

data "azurerm_client_config" "current" {}

locals {
  # Namespace names are global (<name>.servicebus.windows.net): 6-50 letters,
  # digits and dashes, starting with a letter. A hash of the subscription and
  # blueprint name keeps them unique yet stable across plans.
  suffix         = substr(sha1("${data.azurerm_client_config.current.subscription_id}/${var.resource_group_name}/${var.name}"), 0, 8)
  # An imported namespace keeps its own name (namespace_name).
  namespace_name = var.namespace_name != null ? var.namespace_name : "${trim(substr(var.name, 0, 41), "-")}-${local.suffix}"
  # Clients and the Functions host connect to the namespace host name.
  namespace_host = split(":", split("/", azurerm_servicebus_namespace.this.endpoint)[2])[0]

  # Service Bus takes ISO 8601 durations and returns them normalised
  # (P1DT12H, PT1M30S); writing them the same way keeps plans clean.
  seconds = {
    lock      = var.lock_duration_seconds
    ttl       = var.message_ttl_seconds
    duplicate = var.duplicate_detection_seconds
  }
  durations = { for k, t in local.seconds : k => join("", [
    "P",
    floor(t / 86400) > 0 ? "${floor(t / 86400)}D" : "",
    t % 86400 > 0 ? "T" : "",
    floor(t % 86400 / 3600) > 0 ? "${floor(t % 86400 / 3600)}H" : "",
    floor(t % 3600 / 60) > 0 ? "${floor(t % 3600 / 60)}M" : "",
    t % 60 > 0 ? "${t % 60}S" : "",
  ]) }
}

resource "azurerm_servicebus_namespace" "this" {
  name                = local.namespace_name
  resource_group_name = var.resource_group_name
  location            = var.location
  # Sessions (FIFO) need Standard or Premium; Basic has neither sessions nor
  # duplicate detection.
  sku = var.sku
  # Premium is sold in messaging units; Standard takes none.
  capacity                     = var.sku == "Premium" ? 1 : 0
  premium_messaging_partitions = var.sku == "Premium" ? 1 : 0
  # Without shared access keys every client authenticates with Entra ID and
  # RBAC, like IAM on the other clouds. Data at rest is always encrypted with
  # a Microsoft-managed key.
  local_auth_enabled  = var.local_auth_enabled
  minimum_tls_version = "1.2"
  tags                = var.labels
}

resource "azurerm_servicebus_queue" "this" {
  name         = var.name
  namespace_id = azurerm_servicebus_namespace.this.id

  requires_session                        = var.fifo
  requires_duplicate_detection            = var.fifo
  duplicate_detection_history_time_window = var.fifo ? local.durations.duplicate : null

  lock_duration       = local.durations.lock
  default_message_ttl = local.durations.ttl
  max_delivery_count  = var.max_delivery_count
  # The neutral model dead-letters failed deliveries only; expired messages
  # are dropped as on the other clouds unless a team opts in.
  dead_lettering_on_message_expiration = var.dead_lettering_on_message_expiration
  max_size_in_megabytes                = var.max_size_in_megabytes
}
