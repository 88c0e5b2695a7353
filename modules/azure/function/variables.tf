variable "name" {
  type        = string
  description = "Cloud name of the function (<blueprint>-<resource>); app, plan, identity and storage names derive from it."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}$", var.name))
    error_message = "name must start with a letter and hold at most 51 lower-case letters, digits and dashes."
  }
}

variable "labels" {
  type        = map(string)
  description = "Tags put on every taggable resource."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the function's resources."
}

variable "location" {
  type        = string
  description = "Azure region of the function."
}

variable "runtime_name" {
  type        = string
  description = "Flex Consumption runtime: python, node, or custom (a custom handler, for go)."

  validation {
    condition     = contains(["python", "node", "custom"], var.runtime_name)
    error_message = "runtime_name must be python, node or custom."
  }
}

variable "runtime_version" {
  type        = string
  description = "Runtime version: 3.11 or 3.12 for python, 20 or 22 for node, 1.0 for custom."

  validation {
    condition     = contains(["3.11", "3.12", "20", "22", "1.0"], var.runtime_version)
    error_message = "runtime_version must be 3.11, 3.12 (python), 20, 22 (node) or 1.0 (custom)."
  }
}

variable "package_path" {
  type        = string
  description = "Path of the zip package relative to the root module (build/<hash>.zip: named by its content, so functions built from one source share it)."
}

variable "package_sha256" {
  type        = string
  description = "Hash of the package; a new hash redeploys the app."
}

variable "instance_memory_mb" {
  type        = number
  description = "Memory of each instance in MB."
  default     = 2048

  validation {
    condition     = contains([512, 2048, 4096], var.instance_memory_mb)
    error_message = "instance_memory_mb must be 512, 2048 or 4096 (the Flex Consumption instance sizes)."
  }
}

variable "maximum_instance_count" {
  type        = number
  description = "Most instances the app scales out to."
  default     = 100

  validation {
    condition     = var.maximum_instance_count >= 40 && var.maximum_instance_count <= 1000 && floor(var.maximum_instance_count) == var.maximum_instance_count
    error_message = "maximum_instance_count must be a whole number from 40 to 1000 (the Flex Consumption limits)."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Longest run of one invocation, in seconds (host.json functionTimeout). HTTP responses are still cut off after 230 seconds by the front end."
  default     = 30

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 86400 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number from 1 to 86400."
  }
}

variable "app_settings" {
  type        = map(string)
  description = "Environment of the function (app settings)."
  default     = {}
}

variable "queue_triggers" {
  type = map(object({
    queue_id       = string
    queue_name     = string
    namespace_host = string
  }))
  description = "Service Bus queues that trigger the function, keyed by blueprint queue name: the identity may receive from each, and its connection is published as SERVICEBUS_<QUEUE> app settings."
  default     = {}
}

variable "batch_size" {
  type        = number
  description = "Most messages one invocation receives when the code binds to a batch (host.json serviceBus.maxMessageBatchSize); null leaves the host's default."
  default     = null

  validation {
    condition     = var.batch_size == null ? true : var.batch_size >= 1 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number of at least 1."
  }
}

variable "key_vault_ids" {
  type        = map(string)
  description = "Key vaults whose secrets the function may read, keyed by blueprint database name."
  default     = {}
}

variable "subnet_id" {
  type        = string
  description = "Subnet delegated to Microsoft.App/environments for virtual network integration, or null."
  default     = null
}

variable "http" {
  type        = bool
  description = "The function has an HTTP trigger; the url output is empty otherwise."
  default     = false
}

variable "http_route" {
  type        = string
  description = "Route of the HTTP function as declared in its code, appended to https://<app>/api/ in the url output."
  default     = ""
}

variable "storage_replication" {
  type        = string
  description = "Replication of the function's storage account."
  default     = "LRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"], var.storage_replication)
    error_message = "storage_replication must be LRS, ZRS, GRS, RAGRS, GZRS or RAGZRS."
  }
}

variable "schedule_triggers" {
  type        = map(string)
  description = "Timer schedules of the function in UTC, as NCRONTAB expressions (seconds first), by key; each is published as the app setting TIMER_SCHEDULE_<KEY>, which the code's timer trigger names as its schedule (\"%TIMER_SCHEDULE_<KEY>%\")."
  default     = {}

  validation {
    condition     = alltrue([for k, s in var.schedule_triggers : can(regex("^\\S+( \\S+){5}$", s)) && can(regex("^[0-9a-z-]{1,6}$", k))])
    error_message = "Each schedule is a six-field NCRONTAB expression keyed by 1 to 6 lower-case letters, digits or dashes."
  }
}

variable "app_name" {
  type        = string
  description = "Name of the function app; null derives it from name and a hash (skyform import sets it to keep an existing app's name)."
  default     = null

  validation {
    condition     = var.app_name == null ? true : can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$", var.app_name))
    error_message = "app_name must be 2-60 letters, digits and dashes, starting and ending with a letter or digit."
  }
}

variable "storage_account_name" {
  type        = string
  description = "Name of the app's storage account; null derives it from name and a hash (skyform import sets it to keep an existing account)."
  default     = null

  validation {
    condition     = var.storage_account_name == null ? true : can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "service_plan_name" {
  type        = string
  description = "Name of the app's Flex Consumption plan; null is asp-<name> (skyform import sets it to keep an existing plan)."
  default     = null
}
