output "id" {
  description = "Resource ID of the flexible server."
  value       = local.server_id
}

output "host" {
  description = "Private host name of the server, resolvable inside the blueprint's network."
  value       = local.postgres ? azurerm_postgresql_flexible_server.this[0].fqdn : azurerm_mysql_flexible_server.this[0].fqdn
}

output "port" {
  description = "Port the server listens on."
  value       = local.postgres ? 5432 : 3306
}

output "name" {
  description = "Name of the database created on the server."
  value       = local.postgres ? azurerm_postgresql_flexible_server_database.this[0].name : azurerm_mysql_flexible_database.this[0].name
}

output "username" {
  description = "Administrator: the Entra principal's name for PostgreSQL (it signs in with an Entra token), the administrator login for MySQL."
  value       = local.postgres ? azurerm_postgresql_flexible_server_active_directory_administrator.this[0].principal_name : azurerm_mysql_flexible_server.this[0].administrator_login
}

output "password_secret" {
  description = "Where the administrator password lives: the Key Vault secret ID (versionless) for MySQL; \"entra-id\" for PostgreSQL, which has no password and takes Microsoft Entra ID tokens."
  value       = local.postgres ? "entra-id" : azurerm_key_vault_secret.password[0].versionless_id
}

output "key_vault_id" {
  description = "Key Vault holding the MySQL administrator password, or null for PostgreSQL."
  value       = local.mysql ? azurerm_key_vault.this[0].id : null
}

output "administrator_principal_id" {
  description = "PostgreSQL: object ID of the Entra administrator."
  value       = local.postgres ? local.entra_admin.object_id : null
}
