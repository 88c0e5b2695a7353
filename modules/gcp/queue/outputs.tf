output "id" {
  description = "The topic's id (projects/<project>/topics/<name>): what publishers and subscriptions name."
  value       = google_pubsub_topic.this.id
}

output "name" {
  description = "The topic's name."
  value       = google_pubsub_topic.this.name
}

output "url" {
  description = "The REST endpoint messages are published to (POST, Pub/Sub API v1)."
  value       = "https://pubsub.googleapis.com/v1/${google_pubsub_topic.this.id}:publish"
}

output "subscription_id" {
  description = "The pull subscription consumers read from; empty when a function's push subscription consumes the queue."
  value       = var.subscription ? google_pubsub_subscription.this[0].id : ""
}

output "dead_letter_topic_id" {
  description = "The dead-letter topic's id, once the Pub/Sub service agent may publish to it; empty without dead lettering."
  value       = local.dead_letter ? google_pubsub_topic.dead_letter[0].id : ""
  depends_on  = [google_pubsub_topic_iam_member.dead_letter_publisher]
}

output "dead_letter_subscription_id" {
  description = "The subscription holding dead-lettered messages; empty without dead lettering."
  value       = local.dead_letter ? google_pubsub_subscription.dead_letter[0].id : ""
}
