output "id" {
  description = "The instance's connection name (<project>:<region>:<name>), which Cloud SQL connectors take."
  value       = google_sql_database_instance.this.connection_name
}

output "host" {
  description = "The instance's private IPv4 address."
  value       = google_sql_database_instance.this.private_ip_address
}

output "port" {
  description = "The port the engine listens on."
  value       = local.postgres ? 5432 : 3306
}

output "name" {
  description = "The database created on the instance."
  value       = google_sql_database.this.name
}

output "username" {
  description = "The administrator's database user name (IAM database authentication)."
  value       = local.postgres ? google_sql_user.admin.name : split("@", google_service_account.admin.email)[0]
}

output "password_secret" {
  description = "There is no password: this is the administrator service account whose short-lived OAuth access token is the password (IAM database authentication)."
  value       = google_service_account.admin.email
}

output "admin_service_account" {
  description = "The administrator service account's resource name, to let a function mint its tokens."
  value       = google_service_account.admin.name
}
