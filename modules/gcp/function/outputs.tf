output "id" {
  description = "The function's id (projects/<project>/locations/<region>/functions/<name>)."
  value       = google_cloudfunctions2_function.this.id
}

output "name" {
  description = "The function's name."
  value       = google_cloudfunctions2_function.this.name
}

output "url" {
  description = "The function's HTTPS address; empty when it has no http trigger."
  value       = var.http_trigger ? google_cloudfunctions2_function.this.url : ""
}

output "service" {
  description = "The Cloud Run service that runs the function."
  value       = google_cloudfunctions2_function.this.service_config[0].service
}

output "service_account_email" {
  description = "The function's runtime identity, to grant it access to more resources."
  value       = google_service_account.function.email
}
