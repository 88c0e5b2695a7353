variable "name" {
  description = "Name of the queue, \"<blueprint>-<resource>\"; \"-dlq\" and \".fifo\" are appended where needed."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,69}$", var.name))
    error_message = "The name must be 1 to 70 lower-case letters, digits or dashes, so that \"-dlq.fifo\" still fits SQS's 80 characters."
  }
}

variable "labels" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "fifo" {
  description = "Create a FIFO queue: ordered within a message group, with content-based deduplication."
  type        = bool
  default     = false
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden from other consumers. A Lambda consumer needs at least its own timeout."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "SQS takes a visibility timeout of 0 to 43200 whole seconds (12 hours)."
  }
}

variable "message_retention_seconds" {
  description = "How long an undelivered message is kept."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600 && floor(var.message_retention_seconds) == var.message_retention_seconds
    error_message = "SQS keeps messages for 60 to 1209600 whole seconds (1 minute to 14 days)."
  }
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue; null means no dead-letter queue."
  type        = number
  default     = null

  validation {
    condition     = var.max_receive_count == null || try(var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count, false)
    error_message = "SQS takes a maxReceiveCount of 1 to 1000."
  }
}

variable "dead_letter_retention_seconds" {
  description = "How long the dead-letter queue keeps a message. SQS keeps a message's original enqueue time when it moves a standard queue's message aside, so this should exceed the source queue's retention; the default is the maximum."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dead_letter_retention_seconds >= 60 && var.dead_letter_retention_seconds <= 1209600 && floor(var.dead_letter_retention_seconds) == var.dead_letter_retention_seconds
    error_message = "SQS keeps messages for 60 to 1209600 whole seconds (1 minute to 14 days)."
  }
}

variable "encryption" {
  description = "Encrypt messages at rest with SQS-managed keys (SSE-SQS)."
  type        = bool
  default     = true
}

variable "receive_wait_time_seconds" {
  description = "Long-polling wait of ReceiveMessage calls; 20 cuts empty receives (and their cost) for polling clients. Lambda long-polls regardless."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20 && floor(var.receive_wait_time_seconds) == var.receive_wait_time_seconds
    error_message = "SQS takes a receive wait time of 0 to 20 whole seconds."
  }
}

variable "max_message_size" {
  description = "Largest message body SQS accepts, in bytes."
  type        = number
  default     = 262144

  validation {
    condition     = var.max_message_size >= 1024 && var.max_message_size <= 1048576 && floor(var.max_message_size) == var.max_message_size
    error_message = "SQS takes a maximum message size of 1024 to 1048576 bytes."
  }
}
