# A neutral database on Azure: a PostgreSQL or MySQL flexible server with
# private access only (a delegated subnet and a private DNS zone of the
# blueprint's network), and one database on it.
#
# No password is ever written to a file:
#   - PostgreSQL authenticates with Microsoft Entra ID only. Password
#     authentication is off, so no password exists; the administrator is an
#     Entra principal (a user-assigned identity made here, or a group the
#     team names in entra_administrator). password_secret is "entra-id".
#   - MySQL needs an administrator password when the server is created. It is
#     drawn at apply time, sent only through write-only arguments (never in
#     plan or state) to the server and to a Key Vault secret, and
#     password_secret is that secret's ID.

data "azurerm_client_config" "current" {}

locals {
  postgres = var.engine == "postgres"
  mysql    = var.engine == "mysql"

  suffix = substr(sha1("${data.azurerm_client_config.current.subscription_id}/${var.resource_group_name}/${var.name}"), 0, 8)
  # <server>.postgres.database.azure.com and <server>.mysql.database.azure.com
  # are global: 3-63 lower-case letters, digits and dashes.
  # An imported server keeps its own name (server_name).
  server_name = var.server_name != null ? var.server_name : "${trim(substr(var.name, 0, 54), "-")}-${local.suffix}"
  # Key Vault names are global as well: 3-24 letters, digits and dashes.
  vault_name = "kv${substr(replace(var.name, "-", ""), 0, 14)}${local.suffix}"

  # Entra administrator of a PostgreSQL server: the team's principal when
  # given, otherwise an identity made for it.
  entra_admin = var.entra_administrator != null ? var.entra_administrator : {
    object_id      = try(azurerm_user_assigned_identity.admin[0].principal_id, "")
    principal_name = try(azurerm_user_assigned_identity.admin[0].name, "")
    principal_type = "ServicePrincipal"
  }

  # 244 bits from the CSPRNG behind uuid(), with upper- and lower-case
  # letters, digits and dashes to meet MySQL's complexity rule. uuid() is
  # unknown at plan time and only reaches write-only arguments.
  mysql_password = "${uuid()}${upper(uuid())}"

  server_id = local.postgres ? try(azurerm_postgresql_flexible_server.this[0].id, null) : try(azurerm_mysql_flexible_server.this[0].id, null)
}

# ---------------------------------------------------------------- PostgreSQL

resource "azurerm_user_assigned_identity" "admin" {
  count = local.postgres && var.entra_administrator == null ? 1 : 0

  name                = "id-${var.name}-admin"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.labels
}

resource "azurerm_postgresql_flexible_server" "this" {
  count = local.postgres ? 1 : 0

  name                = local.server_name
  resource_group_name = var.resource_group_name
  location            = var.location
  version             = var.engine_version
  sku_name            = var.sku_name
  storage_mb          = var.storage_gb * 1024
  zone                = var.zone

  backup_retention_days         = var.backup_retention_days
  delegated_subnet_id           = var.subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
  public_network_access_enabled = false

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }

  dynamic "high_availability" {
    for_each = var.high_availability ? [var.high_availability_mode] : []
    content {
      mode = high_availability.value
    }
  }

  tags = var.labels

  lifecycle {
    # After a failover Azure swaps the primary and standby zones.
    ignore_changes = [zone, high_availability[0].standby_availability_zone]

    precondition {
      condition     = contains(["13", "14", "15", "16", "17", "18"], var.engine_version)
      error_message = "A PostgreSQL flexible server takes version 13 to 18."
    }
    precondition {
      # 4095 GB is Azure's P50 size; the others are powers of two.
      condition     = contains([32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384, 32767], var.storage_gb)
      error_message = "PostgreSQL flexible server storage comes in 32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384 or 32767 GB."
    }
    precondition {
      condition     = var.backup_retention_days >= 7
      error_message = "A PostgreSQL flexible server keeps backups 7 to 35 days."
    }
    precondition {
      condition     = !(var.high_availability && startswith(var.sku_name, "B_"))
      error_message = "High availability needs a General Purpose (GP_) or Memory Optimized (MO_) SKU; Burstable has none."
    }
  }
}

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "this" {
  count = local.postgres ? 1 : 0

  server_name         = azurerm_postgresql_flexible_server.this[0].name
  resource_group_name = var.resource_group_name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  object_id           = local.entra_admin.object_id
  principal_name      = local.entra_admin.principal_name
  principal_type      = local.entra_admin.principal_type
}

resource "azurerm_postgresql_flexible_server_database" "this" {
  count = local.postgres ? 1 : 0

  name      = var.database_name
  server_id = azurerm_postgresql_flexible_server.this[0].id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# --------------------------------------------------------------------- MySQL

# The vault holds this server's administrator password and nothing else, so
# read access to it is access to this one secret.
resource "azurerm_key_vault" "this" {
  count = local.mysql ? 1 : 0

  name                = local.vault_name
  resource_group_name = var.resource_group_name
  location            = var.location
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"
  # Access policies take effect at once; an RBAC role assignment can take
  # minutes to propagate, which fails the secret's creation on a first apply.
  rbac_authorization_enabled = false
  # Soft delete is always on; without purge protection the provider purges
  # the vault on destroy, so a blueprint can be destroyed and applied again.
  soft_delete_retention_days = 7
  purge_protection_enabled   = false
  tags                       = var.labels
}

resource "azurerm_key_vault_access_policy" "deployer" {
  count = local.mysql ? 1 : 0

  key_vault_id       = azurerm_key_vault.this[0].id
  tenant_id          = data.azurerm_client_config.current.tenant_id
  object_id          = data.azurerm_client_config.current.object_id
  secret_permissions = ["Get", "List", "Set", "Delete", "Purge", "Recover"]
}

resource "azurerm_key_vault_secret" "password" {
  count = local.mysql ? 1 : 0

  name             = "${var.name}-admin-password"
  key_vault_id     = azurerm_key_vault.this[0].id
  content_type     = "password"
  value_wo         = local.mysql_password
  value_wo_version = var.password_version
  tags             = var.labels

  depends_on = [azurerm_key_vault_access_policy.deployer]
}

resource "azurerm_mysql_flexible_server" "this" {
  count = local.mysql ? 1 : 0

  name                = local.server_name
  resource_group_name = var.resource_group_name
  location            = var.location
  version             = var.engine_version
  sku_name            = var.sku_name
  zone                = var.zone

  administrator_login = var.administrator_login
  # Sent only when password_version changes, together with the secret above.
  administrator_password_wo         = local.mysql_password
  administrator_password_wo_version = var.password_version

  backup_retention_days = var.backup_retention_days
  delegated_subnet_id   = var.subnet_id
  private_dns_zone_id   = var.private_dns_zone_id

  storage {
    size_gb = var.storage_gb
    # Auto-grow would raise size_gb behind Terraform's back, and the next plan
    # would shrink it, which replaces the server.
    auto_grow_enabled = false
  }

  dynamic "high_availability" {
    for_each = var.high_availability ? [var.high_availability_mode] : []
    content {
      mode = high_availability.value
    }
  }

  tags = var.labels

  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]

    precondition {
      condition     = contains(["8.0.21", "8.4"], var.engine_version)
      error_message = "A MySQL flexible server takes version 8.0.21 or 8.4."
    }
    precondition {
      condition     = var.storage_gb >= 20 && var.storage_gb <= 16384
      error_message = "MySQL flexible server storage is 20 to 16384 GB."
    }
    precondition {
      condition     = !(var.high_availability && startswith(var.sku_name, "B_"))
      error_message = "High availability needs a General Purpose (GP_) or Business Critical (MO_) SKU; Burstable has none."
    }
  }

  depends_on = [azurerm_key_vault_secret.password]
}

resource "azurerm_mysql_flexible_database" "this" {
  count = local.mysql ? 1 : 0

  name                = var.database_name
  resource_group_name = var.resource_group_name
  server_name         = azurerm_mysql_flexible_server.this[0].name
  charset             = "utf8mb4"
  collation           = "utf8mb4_0900_ai_ci"
}

# ------------------------------------------------------------------ Both

# Deletion protection: a CanNotDelete lock on the server refuses to delete it
# (and its databases) until the lock is removed, which
# deletion_protection = false does first.
resource "azurerm_management_lock" "this" {
  count = var.deletion_protection ? 1 : 0

  name       = "${var.name}-no-delete"
  scope      = local.server_id
  lock_level = "CanNotDelete"
  notes      = "Deletion protection of skyform database ${var.name}; set deletion_protection to false to remove it."
}
