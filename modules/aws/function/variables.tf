variable "name" {
  description = "Name of the function, \"<blueprint>-<resource>\"; also names its IAM role and log group."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,56}$", var.name))
    error_message = "The name must be 1 to 57 lower-case letters, digits or dashes, so that the role name \"<name>-lambda\" fits IAM's 64 characters."
  }
}

variable "labels" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "package_path" {
  description = "Path of the deployment zip, relative to the root module."
  type        = string
}

variable "package_sha256" {
  description = "Base64-encoded SHA-256 of the deployment zip; a change redeploys the code."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.package_sha256))
    error_message = "The package_sha256 must be a base64-encoded SHA-256 digest (44 characters)."
  }
}

variable "runtime" {
  description = "Lambda runtime identifier, e.g. python3.12, nodejs22.x or provided.al2023."
  type        = string

  validation {
    condition     = can(regex("^(python3\\.[0-9]+|nodejs[0-9]+\\.x|java[0-9]+|dotnet[0-9]+|ruby3\\.[0-9]+|provided\\.al2(023)?)$", var.runtime))
    error_message = "The runtime must be a Lambda runtime identifier such as python3.12, nodejs22.x or provided.al2023."
  }
}

variable "handler" {
  description = "Entry point, \"<file>.<function>\"; \"bootstrap\" (the executable) for provided.* runtimes."
  type        = string
}

variable "architecture" {
  description = "Instruction set the code is built for. A Go executable or native dependencies must match it."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "Lambda offers the x86_64 and arm64 architectures."
  }
}

variable "memory_size" {
  description = "Memory in MiB; Lambda allocates CPU in proportion."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "Lambda takes 128 to 10240 MiB of memory, in whole MiB."
  }
}

variable "timeout" {
  description = "Longest run of one invocation, in seconds."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "Lambda takes a timeout of 1 to 900 whole seconds (15 minutes)."
  }
}

variable "reserved_concurrent_executions" {
  description = "Most instances that run at once, reserved from the account's pool; -1 leaves the function unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "The reserved_concurrent_executions must be -1 (unreserved) or a whole number of instances."
  }
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "queue_triggers" {
  description = "SQS queues that invoke the function, keyed by the blueprint's queue name. The function gets permission to consume exactly these queues."
  type = map(object({
    arn        = string
    fifo       = optional(bool, false)
    batch_size = optional(number, 10)
    # Seconds Lambda waits to fill a batch; null picks 1 s for batches over
    # 10 messages (which Lambda requires) and none otherwise.
    batching_window_seconds = optional(number)
  }))
  default = {}

  validation {
    condition = alltrue([for q in values(var.queue_triggers) :
      q.batch_size >= 1 && q.batch_size <= (q.fifo ? 10 : 10000) && floor(q.batch_size) == q.batch_size
    ])
    error_message = "Lambda takes a batch size of 1 to 10 for FIFO queues and 1 to 10000 for standard queues."
  }

  validation {
    condition = alltrue([for q in values(var.queue_triggers) :
      q.batching_window_seconds == null || try(!q.fifo && q.batching_window_seconds >= (q.batch_size > 10 ? 1 : 0) && q.batching_window_seconds <= 300, false)
    ])
    error_message = "A batching window is 0 to 300 seconds (at least 1 for batches over 10 messages), and Lambda supports none on FIFO queues."
  }
}

variable "function_url_auth_type" {
  description = "Create a function URL with this authorization: \"NONE\" (public) or \"AWS_IAM\" (signed requests); null creates none."
  type        = string
  default     = null

  validation {
    condition     = var.function_url_auth_type == null || contains(["NONE", "AWS_IAM"], coalesce(var.function_url_auth_type, "-"))
    error_message = "The function_url_auth_type must be NONE, AWS_IAM or null."
  }
}

variable "vpc" {
  description = "Attach the function to these private subnets and security groups, to reach databases; null keeps it outside any VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}

variable "send_queue_arns" {
  description = "SQS queues the function may send to (its environment refers to them), keyed by the blueprint's queue name."
  type        = map(string)
  default     = {}
}

variable "secret_arns" {
  description = "Secrets Manager secrets the function may read (its environment refers to them), keyed by a stable name."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the function's logs; 0 keeps them forever."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "CloudWatch Logs retention is one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days."
  }
}

variable "schedule_triggers" {
  description = "EventBridge Scheduler schedules that invoke the function, by key: a cron(...) expression and the IANA time zone its times are read in."
  type = map(object({
    expression = string
    timezone   = string
  }))
  default = {}

  validation {
    condition     = alltrue([for k, s in var.schedule_triggers : can(regex("^cron\\(\\S+( \\S+){5}\\)$", s.expression)) && can(regex("^[0-9a-z-]{1,6}$", k))])
    error_message = "Each schedule is an EventBridge cron(...) expression of six fields, keyed by 1 to 6 lower-case letters, digits or dashes (the key ends the schedule's name)."
  }
}
