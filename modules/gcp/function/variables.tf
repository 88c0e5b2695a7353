variable "name" {
  description = "The function's name, \"<blueprint>-<resource>\"; the function, its bucket and its service accounts are named after it."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits or dashes, start with a letter and not end with a dash."
  }
}

variable "labels" {
  description = "Labels put on the function, its source bucket and its subscriptions."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "The region the function runs in."
  type        = string
}

variable "runtime" {
  description = "The Cloud Run functions runtime id, e.g. python312, nodejs22, go125."
  type        = string

  validation {
    condition     = can(regex("^(python3[0-9]+|nodejs[0-9]+|go1[0-9]+)$", var.runtime))
    error_message = "The runtime must be a Cloud Run functions runtime id such as python312, nodejs22 or go125."
  }
}

variable "entry_point" {
  description = "The function the runtime calls: the Python function in main.py, the export of the Node.js main module, or the name a Go function is registered under with the Functions Framework."
  type        = string
}

variable "source_zip" {
  description = "Path of the packaged source zip, relative to the root module."
  type        = string
}

variable "source_sha256" {
  description = "Hex SHA-256 of the zip; it names the uploaded object, so a code change uploads a new object and redeploys the function."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.source_sha256))
    error_message = "The source hash must be 64 lower-case hex digits."
  }
}

variable "memory" {
  description = "Memory per instance as a Kubernetes quantity (128Mi, 256Mi, 512Mi, 1Gi, 2Gi, 4Gi, 8Gi, 16Gi, 32Gi); the vCPU share follows from it."
  type        = string
  default     = "256Mi"

  validation {
    condition     = contains(["128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi", "8Gi", "16Gi", "32Gi"], var.memory)
    error_message = "The memory must be one of the Cloud Run functions tiers: 128Mi, 256Mi, 512Mi, 1Gi, 2Gi, 4Gi, 8Gi, 16Gi, 32Gi."
  }
}

variable "timeout_seconds" {
  description = "Longest run of one invocation."
  type        = number
  default     = 60

  validation {
    # HTTP functions (queue triggers push over HTTP too) run up to an hour.
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 3600
    error_message = "The timeout must be 1 to 3600 seconds."
  }
}

variable "max_instances" {
  description = "Most instances at once (each serves one request at a time); 0 leaves the platform default."
  type        = number
  default     = 0

  validation {
    condition     = var.max_instances >= 0 && var.max_instances <= 1000
    error_message = "The instance limit must be 0 (platform default) to 1000."
  }
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "ingress_settings" {
  description = "Which networks may reach the function's URL; IAM still decides who may call it."
  type        = string
  default     = "ALLOW_ALL"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.ingress_settings)
    error_message = "The ingress setting must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "http_trigger" {
  description = "The function is called over HTTPS; its URL becomes the url output."
  type        = bool
  default     = false
}

variable "public" {
  description = "Anyone may call the function's URL without authentication."
  type        = bool
  default     = false
}

variable "vpc_access" {
  description = "Route the function's traffic to private addresses into the VPC (Direct VPC egress), to reach databases."
  type        = bool
  default     = false
}

variable "vpc_network" {
  description = "The VPC network's id, when vpc_access is on."
  type        = string
  default     = ""
}

variable "vpc_subnetwork" {
  description = "The subnet the function's instances take addresses from, when vpc_access is on."
  type        = string
  default     = ""
}

variable "database_service_accounts" {
  description = "Cloud SQL administrator service accounts (resource names), by database: the function may mint their short-lived tokens, which are the database passwords under IAM database authentication."
  type        = map(string)
  default     = {}
}

variable "queue_triggers" {
  description = "Queues that trigger the function, by queue name, with the queue's delivery settings, which the push subscription carries."
  type = map(object({
    topic_id                  = string
    fifo                      = bool
    ack_deadline_seconds      = number
    message_retention_seconds = number
    dead_letter               = bool
    dead_letter_topic_id      = string
    max_delivery_attempts     = number
  }))
  default = {}

  validation {
    condition = alltrue([for q in values(var.queue_triggers) :
      q.ack_deadline_seconds >= 10 && q.ack_deadline_seconds <= 600 &&
      q.message_retention_seconds >= 600 && q.message_retention_seconds <= 604800 &&
      (!q.dead_letter || (q.max_delivery_attempts >= 5 && q.max_delivery_attempts <= 100))
    ])
    error_message = "Pub/Sub allows acknowledgement deadlines of 10 to 600 seconds, retention of 600 to 604800 seconds and 5 to 100 delivery attempts."
  }
}

variable "schedule_triggers" {
  description = "Cloud Scheduler jobs that call the function, by key: a unix-cron schedule, the tz database time zone it is read in, and how long a run may take before the job counts it as failed."
  type = map(object({
    schedule         = string
    time_zone        = string
    attempt_deadline = string
  }))
  default = {}

  validation {
    condition = alltrue([for k, s in var.schedule_triggers :
      can(regex("^\\S+( \\S+){4}$", s.schedule)) && can(regex("^[0-9a-z-]{1,6}$", k)) &&
      try(tonumber(trimsuffix(s.attempt_deadline, "s")) >= 15 && tonumber(trimsuffix(s.attempt_deadline, "s")) <= 1800, false)
    ])
    error_message = "Each schedule is a five-field unix-cron expression keyed by 1 to 6 lower-case letters, digits or dashes, with an attempt deadline of 15s to 1800s."
  }
}
