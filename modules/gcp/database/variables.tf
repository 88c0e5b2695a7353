variable "name" {
  description = "The database server's name, \"<blueprint>-<resource>\"; the Cloud SQL instance and its administrator service account are named after it."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits or dashes, start with a letter and not end with a dash."
  }
}

variable "labels" {
  description = "Labels put on the Cloud SQL instance."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "The region of the instance."
  type        = string
}

variable "engine" {
  description = "The database engine: postgres or mysql."
  type        = string

  validation {
    condition     = contains(["postgres", "mysql"], var.engine)
    error_message = "The engine must be postgres or mysql."
  }
}

variable "database_version" {
  description = "The Cloud SQL database version, e.g. POSTGRES_16 or MYSQL_8_0."
  type        = string

  validation {
    condition     = can(regex("^(POSTGRES_[0-9]+|MYSQL_[0-9]+_[0-9]+)$", var.database_version))
    error_message = "The version must be a Cloud SQL database version such as POSTGRES_16 or MYSQL_8_0."
  }
}

variable "tier" {
  description = "The machine tier: db-custom-<vCPUs>-<MiB> (1 or an even number of vCPUs, 0.9 to 6.5 GiB per vCPU in 256 MiB steps)."
  type        = string
  default     = "db-custom-2-4096"

  validation {
    condition     = can(regex("^db-(custom-[0-9]+-[0-9]+|f1-micro|g1-small)$", var.tier))
    error_message = "The Enterprise edition takes custom tiers (db-custom-<vCPUs>-<MiB>) or the shared-core db-f1-micro and db-g1-small."
  }
}

variable "storage_gb" {
  description = "Initial SSD size in GB; Cloud SQL grows it automatically when it fills up."
  type        = number
  default     = 20

  validation {
    condition     = var.storage_gb >= 10 && var.storage_gb <= 65536
    error_message = "Cloud SQL SSD storage is 10 to 65536 GB."
  }
}

variable "high_availability" {
  description = "Keep a standby in another zone of the region (REGIONAL availability)."
  type        = bool
  default     = false
}

variable "retained_backups" {
  description = "How many automated daily backups to keep."
  type        = number
  default     = 7

  validation {
    condition     = var.retained_backups >= 2 && var.retained_backups <= 365
    error_message = "Keep 2 to 365 backups (Cloud SQL wants more backups than days of transaction logs, which are at least 1)."
  }
}

variable "transaction_log_retention_days" {
  description = "Days of transaction logs kept for point-in-time recovery; fewer than the backups kept."
  type        = number
  default     = 6

  validation {
    condition     = var.transaction_log_retention_days >= 1 && var.transaction_log_retention_days <= 7
    error_message = "The Enterprise edition keeps 1 to 7 days of transaction logs."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance, both in Terraform and in the Cloud SQL API."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "The database created on the instance."
  type        = string

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.database_name))
    error_message = "The database name must be 1 to 63 lower-case letters, digits or underscores and not start with a digit."
  }
}

variable "network_id" {
  description = "The VPC network the instance gets its private address in; it must have private services access connected."
  type        = string
}

variable "admin_database_roles" {
  description = "Database roles of the IAM administrator user."
  type        = list(string)
  default     = ["cloudsqlsuperuser"]
}
