# The variables skyform passes to a queue on AWS, with the same types as
# its own module's, plus the team's KMS settings.

variable "name" {
  description = "Name of the queue, \"<blueprint>-<resource>\"."
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
  description = "Create a FIFO queue (and a FIFO dead-letter queue)."
  type        = bool
  default     = false
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden from other consumers."
  type        = number
  default     = 30
}

variable "message_retention_seconds" {
  description = "How long an undelivered message is kept."
  type        = number
  default     = 345600
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue; null means the house default of 5."
  type        = number
  default     = null
}

variable "encryption" {
  description = "Kept for skyform's contract; the platform always encrypts."
  type        = bool
  default     = true

  validation {
    condition     = var.encryption
    error_message = "Queues on this platform are always encrypted; remove encryption: false from the blueprint."
  }
}

variable "kms_key_id" {
  description = "KMS key (id, ARN or alias) the queues are encrypted with."
  type        = string
  default     = "alias/aws/sqs"
}

variable "kms_data_key_reuse_period_seconds" {
  description = "How long SQS reuses a data key before asking KMS again (60 to 86400)."
  type        = number
  default     = 300

  validation {
    condition     = var.kms_data_key_reuse_period_seconds >= 60 && var.kms_data_key_reuse_period_seconds <= 86400
    error_message = "SQS reuses a data key for 60 to 86400 seconds."
  }
}
