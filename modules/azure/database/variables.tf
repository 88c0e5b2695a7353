variable "name" {
  type        = string
  description = "Cloud name of the database (<blueprint>-<resource>); the server, vault and lock names derive from it."

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
  description = "Resource group that holds the server."
}

variable "location" {
  type        = string
  description = "Azure region of the server."
}

variable "engine" {
  type        = string
  description = "Database engine: postgres or mysql."

  validation {
    condition     = contains(["postgres", "mysql"], var.engine)
    error_message = "engine must be postgres or mysql."
  }
}

variable "engine_version" {
  type        = string
  description = "Engine version as Azure names it: 13 to 18 for PostgreSQL, 8.0.21 or 8.4 for MySQL."

  validation {
    condition     = contains(["13", "14", "15", "16", "17", "18", "8.0.21", "8.4"], var.engine_version)
    error_message = "engine_version must be 13 to 18 (PostgreSQL) or 8.0.21 or 8.4 (MySQL)."
  }
}

variable "sku_name" {
  type        = string
  description = "Compute SKU as <tier>_<size>: B_ (Burstable), GP_ (General Purpose) or MO_ (Memory Optimized / Business Critical), e.g. GP_Standard_D2ads_v5."

  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_[A-Za-z0-9_]+$", var.sku_name))
    error_message = "sku_name must look like B_Standard_B2s, GP_Standard_D2ads_v5 or MO_Standard_E4ads_v5."
  }
}

variable "storage_gb" {
  type        = number
  description = "Storage in GB. PostgreSQL takes 32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384 or 32767; MySQL 20 to 16384."

  validation {
    condition     = var.storage_gb >= 20 && var.storage_gb <= 32767 && floor(var.storage_gb) == var.storage_gb
    error_message = "storage_gb must be a whole number from 20 to 32767."
  }
}

variable "high_availability" {
  type        = bool
  description = "Run a standby server that takes over on failure."
  default     = false
}

variable "high_availability_mode" {
  type        = string
  description = "Where the standby runs: ZoneRedundant (another availability zone) or SameZone (for regions without zones)."
  default     = "ZoneRedundant"

  validation {
    condition     = contains(["ZoneRedundant", "SameZone"], var.high_availability_mode)
    error_message = "high_availability_mode must be ZoneRedundant or SameZone."
  }
}

variable "zone" {
  type        = string
  description = "Availability zone of the primary server, or null to let Azure choose."
  default     = null
}

variable "backup_retention_days" {
  type        = number
  description = "Days automated backups are kept (PostgreSQL 7-35, MySQL 1-35)."
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days must be a whole number from 1 to 35."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Put a CanNotDelete management lock on the server."
  default     = true
}

variable "database_name" {
  type        = string
  description = "Name of the database created on the server."

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be 1-63 lower-case letters, digits and underscores, not starting with a digit."
  }
}

variable "subnet_id" {
  type        = string
  description = "Subnet delegated to the engine's flexible servers."
}

variable "private_dns_zone_id" {
  type        = string
  description = "Private DNS zone (ending in .postgres.database.azure.com or .mysql.database.azure.com) linked to the network."
}

variable "entra_administrator" {
  type = object({
    object_id      = string
    principal_name = string
    principal_type = string
  })
  description = "PostgreSQL only: the Entra ID principal (usually a group) that administers the server; null makes a user-assigned identity for it."
  default     = null

  validation {
    condition     = var.entra_administrator == null ? true : contains(["User", "Group", "ServicePrincipal"], var.entra_administrator.principal_type)
    error_message = "entra_administrator.principal_type must be User, Group or ServicePrincipal."
  }
}

variable "administrator_login" {
  type        = string
  description = "MySQL only: name of the administrator account."
  default     = "skyformadmin"

  validation {
    # Azure refuses these names for the administrator.
    condition     = can(regex("^[a-z][a-z0-9_]{0,31}$", var.administrator_login)) && !contains(["admin", "administrator", "root", "guest", "public", "sa", "azure_superuser", "azure_pg_admin"], var.administrator_login)
    error_message = "administrator_login must be 1-32 lower-case letters, digits and underscores, and not a reserved name such as admin or root."
  }
}

variable "password_version" {
  type        = number
  description = "MySQL only: raise it to draw a new administrator password and store it in the secret."
  default     = 1
}

variable "server_name" {
  type        = string
  description = "Name of the flexible server; null derives it from name and a hash (skyform import sets it to keep an existing server's name)."
  default     = null

  validation {
    condition     = var.server_name == null ? true : can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.server_name))
    error_message = "server_name must be 3-63 lower-case letters, digits and dashes, starting and ending with a letter or digit."
  }
}
