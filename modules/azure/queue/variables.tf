variable "name" {
  type        = string
  description = "Cloud name of the queue (<blueprint>-<resource>); the namespace name is derived from it."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}$", var.name))
    error_message = "name must start with a letter and hold at most 51 lower-case letters, digits and dashes."
  }
}

variable "labels" {
  type        = map(string)
  description = "Tags put on the namespace (queues take no tags)."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the namespace."
}

variable "location" {
  type        = string
  description = "Azure region of the namespace."
}

variable "sku" {
  type        = string
  description = "Service Bus tier of the namespace."
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.sku)
    error_message = "sku must be Standard or Premium: Basic has no sessions and no duplicate detection."
  }
}

variable "fifo" {
  type        = bool
  description = "Require sessions (FIFO per session id) and detect duplicate message ids."
  default     = false
}

variable "duplicate_detection_seconds" {
  type        = number
  description = "Window in seconds in which a repeated message id is dropped (FIFO queues only)."
  default     = 300

  validation {
    condition     = var.duplicate_detection_seconds >= 20 && var.duplicate_detection_seconds <= 604800 && floor(var.duplicate_detection_seconds) == var.duplicate_detection_seconds
    error_message = "duplicate_detection_seconds must be a whole number from 20 (20 seconds) to 604800 (7 days)."
  }
}

variable "lock_duration_seconds" {
  type        = number
  description = "Peek-lock duration in seconds: how long a received message stays hidden from other receivers."
  default     = 30

  validation {
    # Service Bus locks for 5 seconds to 5 minutes; receivers renew longer.
    condition     = var.lock_duration_seconds >= 5 && var.lock_duration_seconds <= 300 && floor(var.lock_duration_seconds) == var.lock_duration_seconds
    error_message = "lock_duration_seconds must be a whole number from 5 to 300."
  }
}

variable "message_ttl_seconds" {
  type        = number
  description = "Time to live in seconds of a message that is never received (the retention)."
  default     = 345600

  validation {
    condition     = var.message_ttl_seconds >= 1 && floor(var.message_ttl_seconds) == var.message_ttl_seconds
    error_message = "message_ttl_seconds must be a whole number of at least 1."
  }
}

variable "max_delivery_count" {
  type        = number
  description = "Deliveries after which Service Bus moves a message to the queue's $DeadLetterQueue."
  default     = 10

  validation {
    condition     = var.max_delivery_count >= 1 && var.max_delivery_count <= 2147483647 && floor(var.max_delivery_count) == var.max_delivery_count
    error_message = "max_delivery_count must be a whole number from 1 to 2147483647."
  }
}

variable "dead_lettering_on_message_expiration" {
  type        = bool
  description = "Also dead-letter messages whose time to live ran out, instead of dropping them."
  default     = false
}

variable "max_size_in_megabytes" {
  type        = number
  description = "Size of the queue's store in MB."
  default     = 1024

  validation {
    # Standard takes 1-5 GB; Premium up to 80 GB, in whole gigabytes.
    condition     = var.max_size_in_megabytes >= 1024 && var.max_size_in_megabytes <= 81920 && var.max_size_in_megabytes % 1024 == 0
    error_message = "max_size_in_megabytes must be a multiple of 1024 from 1024 to 5120 (Standard) or 81920 (Premium)."
  }
}

variable "local_auth_enabled" {
  type        = bool
  description = "Allow shared access keys besides Entra ID. Off by default: clients use identities and RBAC."
  default     = false
}

variable "namespace_name" {
  type        = string
  description = "Name of the Service Bus namespace; null derives it from name and a hash (skyform import sets it to keep an existing namespace's name)."
  default     = null

  validation {
    condition     = var.namespace_name == null ? true : can(regex("^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$", var.namespace_name))
    error_message = "namespace_name must be 6-50 letters, digits and dashes, starting with a letter and ending with a letter or digit."
  }
}
