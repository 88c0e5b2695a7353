# A Cloud SQL instance reachable on a private address only, with one
# database and an administrator that logs in with IAM database
# authentication: no password exists anywhere. The administrator is a
# service account; a short-lived OAuth token of it is the password, and
# functions that use the database are allowed to mint such tokens.
#
# The Enterprise edition is set explicitly: new PostgreSQL 16+ instances
# would otherwise default to Enterprise Plus, which has no custom tiers.

locals {
  postgres = var.engine == "postgres"

  # Service account ids are 6 to 30 characters.
  account = length(var.name) <= 27 ? var.name : "${substr(var.name, 0, 20)}-${substr(sha1(var.name), 0, 6)}"
}

data "google_project" "this" {}

resource "google_sql_database_instance" "this" {
  name                = var.name
  region              = var.region
  database_version    = var.database_version
  deletion_protection = var.deletion_protection

  settings {
    tier                        = var.tier
    edition                     = "ENTERPRISE"
    availability_type           = var.high_availability ? "REGIONAL" : "ZONAL"
    disk_type                   = "PD_SSD"
    disk_size                   = var.storage_gb
    disk_autoresize             = true
    deletion_protection_enabled = var.deletion_protection
    user_labels                 = var.labels

    database_flags {
      name  = local.postgres ? "cloudsql.iam_authentication" : "cloudsql_iam_authentication"
      value = "on"
    }

    # Point-in-time recovery is write-ahead-log archiving on PostgreSQL and
    # the binary log on MySQL; high availability needs it too.
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = local.postgres ? true : null
      binary_log_enabled             = local.postgres ? null : true
      transaction_log_retention_days = var.transaction_log_retention_days

      backup_retention_settings {
        retained_backups = var.retained_backups
        retention_unit   = "COUNT"
      }
    }

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }

  lifecycle {
    # storage_gb is the initial size: after Cloud SQL has grown the disk,
    # Terraform must not try to shrink it, which would replace the instance.
    ignore_changes = [settings[0].disk_size]
  }
}

resource "google_sql_database" "this" {
  name     = var.database_name
  instance = google_sql_database_instance.this.name
}

resource "google_service_account" "admin" {
  account_id   = "${local.account}-db"
  display_name = "Database administrator of ${var.name}"
  description  = "IAM database administrator of the skyform database ${var.name}; its short-lived tokens are the password."
}

# Connecting (cloudsql.client) and logging in (cloudsql.instanceUser), on
# this instance only.
resource "google_project_iam_member" "admin" {
  for_each = toset(["roles/cloudsql.client", "roles/cloudsql.instanceUser"])

  project = data.google_project.this.project_id
  role    = each.value
  member  = google_service_account.admin.member

  condition {
    title       = "only-${var.name}"
    description = "Only the Cloud SQL instance ${var.name}."
    expression  = "resource.type == \"sqladmin.googleapis.com/Instance\" && resource.name == \"projects/${data.google_project.this.project_id}/instances/${var.name}\""
  }
}

resource "google_sql_user" "admin" {
  # PostgreSQL names IAM service account users by their email without the
  # ".gserviceaccount.com" suffix; MySQL takes the email and keeps the part
  # before the "@".
  name           = local.postgres ? trimsuffix(google_service_account.admin.email, ".gserviceaccount.com") : google_service_account.admin.email
  instance       = google_sql_database_instance.this.name
  type           = "CLOUD_IAM_SERVICE_ACCOUNT"
  database_roles = var.admin_database_roles

  # A user that owns objects cannot be dropped; the instance takes it along.
  deletion_policy = "ABANDON"
}
