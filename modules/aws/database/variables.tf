variable "name" {
  description = "Name of the database server, \"<blueprint>-<resource>\"; becomes the RDS instance identifier."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,56}$", var.name))
    error_message = "The name must be 1 to 57 lower-case letters, digits or dashes, starting with a letter (RDS identifiers are at most 63 characters)."
  }
}

variable "labels" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "engine" {
  description = "Database engine: postgres or mysql."
  type        = string

  validation {
    condition     = contains(["postgres", "mysql"], var.engine)
    error_message = "The engine must be postgres or mysql."
  }
}

variable "engine_version" {
  description = "Engine version. A major version (\"16\", \"8.0\") lets RDS pick its default minor and, with auto_minor_version_upgrade, keep it current; a full version (\"16.4\") pins it."
  type        = string
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.medium or db.m7g.large."
  type        = string

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "The instance_class must be an RDS instance class such as db.m7g.large."
  }
}

variable "allocated_storage" {
  description = "Storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "RDS gp3 storage for MySQL and PostgreSQL is 20 to 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Upper limit in GiB for storage autoscaling; 0 turns autoscaling off."
  type        = number
  default     = 0

  validation {
    condition     = var.max_allocated_storage == 0 || (var.max_allocated_storage >= 20 && var.max_allocated_storage <= 65536)
    error_message = "The max_allocated_storage must be 0 or from 20 to 65536 GiB (and no less than allocated_storage)."
  }
}

variable "storage_type" {
  description = "EBS volume type of the storage."
  type        = string
  default     = "gp3"

  validation {
    condition     = contains(["gp2", "gp3", "io1", "io2"], var.storage_type)
    error_message = "The storage_type must be gp2, gp3, io1 or io2."
  }
}

variable "multi_az" {
  description = "Keep a synchronous standby in another availability zone that RDS fails over to."
  type        = bool
  default     = false
}

variable "backup_retention_period" {
  description = "Days automated backups are kept; 0 disables them (and point-in-time recovery)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 0 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "RDS keeps automated backups for 0 to 35 days."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance. When on, destroying it also takes a final snapshot; when off, it is deleted without one."
  type        = bool
  default     = true
}

variable "db_name" {
  description = "Name of the database created on the server."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,62}$", var.db_name))
    error_message = "The db_name must start with a letter and hold at most 63 letters, digits or underscores."
  }
}

variable "username" {
  description = "Administrator user name. Its password is generated and kept in Secrets Manager by RDS."
  type        = string
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,15}$", var.username)) && !contains(["admin", "postgres", "rdsadmin", "root"], lower(var.username))
    error_message = "The username must start with a letter, hold at most 16 letters, digits or underscores (MySQL's limit), and not be a name the engines reserve."
  }
}

variable "vpc_id" {
  description = "VPC of the database's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, in at least two availability zones, for the DB subnet group."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups admitted on the engine port, keyed by a stable name (\"app\" for functions, a cluster's name for its nodes)."
  type        = map(string)
  default     = {}
}

variable "allowed_cidr_blocks" {
  description = "IPv4 ranges admitted on the engine port, keyed by a stable name."
  type        = map(string)
  default     = {}
}

variable "auto_minor_version_upgrade" {
  description = "Let RDS apply minor engine versions in the maintenance window."
  type        = bool
  default     = true
}

variable "allow_major_version_upgrade" {
  description = "Allow a change of engine_version to a new major version to upgrade the instance in place."
  type        = bool
  default     = false
}

variable "engine_lifecycle_support" {
  description = "What happens past the RDS end of standard support of the major version: \"open-source-rds-extended-support\" (paid extended support, the RDS default) or \"open-source-rds-extended-support-disabled\" (RDS upgrades the major version)."
  type        = string
  default     = null

  validation {
    condition     = var.engine_lifecycle_support == null || contains(["open-source-rds-extended-support", "open-source-rds-extended-support-disabled"], coalesce(var.engine_lifecycle_support, "-"))
    error_message = "The engine_lifecycle_support must be open-source-rds-extended-support, open-source-rds-extended-support-disabled or null."
  }
}

variable "performance_insights_enabled" {
  description = "Turn on Performance Insights (7 days of history are free)."
  type        = bool
  default     = false
}

variable "apply_immediately" {
  description = "Apply modifications now rather than in the next maintenance window."
  type        = bool
  default     = false
}

variable "skip_final_snapshot" {
  description = "Delete the instance without a final snapshot; null follows deletion_protection (a protected database gets a final snapshot, an unprotected one none). Turning deletion_protection off therefore drops the final snapshot too: set this to false to keep one."
  type        = bool
  default     = null
}
