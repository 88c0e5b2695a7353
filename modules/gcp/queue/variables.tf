variable "name" {
  description = "The queue's name, \"<blueprint>-<resource>\"; the topic and its subscriptions are named after it."
  type        = string

  validation {
    # Topic names allow up to 255 characters; subscriptions add a suffix.
    condition     = can(regex("^[a-z][a-z0-9-]{0,199}$", var.name))
    error_message = "The name must start with a letter and hold at most 200 lower-case letters, digits or dashes."
  }
}

variable "labels" {
  description = "Labels put on the topics and subscriptions."
  type        = map(string)
  default     = {}
}

variable "fifo" {
  description = "Deliver messages that share an ordering key in publish order, and enable exactly-once delivery on the pull subscription."
  type        = bool
  default     = false
}

variable "ack_deadline_seconds" {
  description = "How long a delivered message stays hidden from other consumers before Pub/Sub redelivers it (the queue's visibility timeout)."
  type        = number
  default     = 30

  validation {
    condition     = var.ack_deadline_seconds >= 10 && var.ack_deadline_seconds <= 600
    error_message = "Pub/Sub acknowledgement deadlines are 10 to 600 seconds."
  }
}

variable "message_retention_seconds" {
  description = "How long a subscription keeps an unacknowledged message."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 600 && var.message_retention_seconds <= 604800
    error_message = "A subscription keeps messages 10 minutes (600) to 7 days (604800 seconds)."
  }
}

variable "topic_message_retention_seconds" {
  description = "How long the topic itself keeps every message so a subscription can seek back to it; 0 keeps none. Used when the queue's retention exceeds what a subscription can keep."
  type        = number
  default     = 0

  validation {
    condition     = var.topic_message_retention_seconds == 0 || (var.topic_message_retention_seconds >= 600 && var.topic_message_retention_seconds <= 2678400)
    error_message = "A topic keeps messages 10 minutes (600) to 31 days (2678400 seconds), or 0 for none."
  }
}

variable "max_delivery_attempts" {
  description = "Deliveries before a message moves to the dead-letter topic; 0 means no dead-letter topic."
  type        = number
  default     = 0

  validation {
    condition     = var.max_delivery_attempts == 0 || (var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100)
    error_message = "Pub/Sub dead-letter policies allow 5 to 100 delivery attempts (0 disables dead lettering)."
  }
}

variable "subscription" {
  description = "Create the queue's pull subscription. Off when a function consumes the queue: its push subscription is then the queue's only consumer, as with one queue on other clouds."
  type        = bool
  default     = true
}
