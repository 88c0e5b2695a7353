# A queue is a Pub/Sub topic plus one subscription that carries the queue's
# delivery semantics (acknowledgement deadline, retention, ordering, dead
# lettering). Consumers that pull use the subscription created here; a
# function triggered by the queue gets a push subscription with the same
# settings from the function module instead, and then this one is not created
# (two subscriptions would each receive every message).
#
# Pub/Sub always encrypts messages at rest with Google-managed keys.

locals {
  # Pub/Sub names must not start with "goog".
  name        = startswith(var.name, "goog") ? "q-${var.name}" : var.name
  dead_letter = var.max_delivery_attempts > 0
}

data "google_project" "this" {}

resource "google_pubsub_topic" "this" {
  name   = local.name
  labels = var.labels

  message_retention_duration = var.topic_message_retention_seconds > 0 ? "${var.topic_message_retention_seconds}s" : null
}

resource "google_pubsub_topic" "dead_letter" {
  count = local.dead_letter ? 1 : 0

  name   = "${local.name}-dlq"
  labels = var.labels
}

# Messages published to a topic without subscriptions are dropped, so the
# dead-letter topic gets one that keeps them as long as Pub/Sub allows.
resource "google_pubsub_subscription" "dead_letter" {
  count = local.dead_letter ? 1 : 0

  name                       = "${local.name}-dlq"
  topic                      = google_pubsub_topic.dead_letter[0].id
  labels                     = var.labels
  ack_deadline_seconds       = var.ack_deadline_seconds
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

# The Pub/Sub service agent moves undeliverable messages: it publishes to the
# dead-letter topic (granted here, for every subscription of this queue) and
# acknowledges on the source subscription (granted beside each subscription).
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  count = local.dead_letter ? 1 : 0

  topic  = google_pubsub_topic.dead_letter[0].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_subscription" "this" {
  count = var.subscription ? 1 : 0

  name                       = local.name
  topic                      = google_pubsub_topic.this.id
  labels                     = var.labels
  ack_deadline_seconds       = var.ack_deadline_seconds
  message_retention_duration = "${var.message_retention_seconds}s"
  enable_message_ordering    = var.fifo
  # Exactly-once delivery is the closest Pub/Sub comes to FIFO deduplication:
  # an acknowledged message is not redelivered (pull subscriptions only).
  enable_exactly_once_delivery = var.fifo

  # A queue does not vanish when nobody reads it for a month.
  expiration_policy {
    ttl = ""
  }

  dynamic "dead_letter_policy" {
    for_each = local.dead_letter ? [var.max_delivery_attempts] : []
    content {
      dead_letter_topic     = google_pubsub_topic.dead_letter[0].id
      max_delivery_attempts = dead_letter_policy.value
    }
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher]
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  count = var.subscription && local.dead_letter ? 1 : 0

  subscription = google_pubsub_subscription.this[0].id
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}
