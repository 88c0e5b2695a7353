output "network_id" {
  description = "The VPC network's id (projects/<project>/global/networks/<name>)."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "The VPC network's name."
  value       = google_compute_network.this.name
}

output "subnet_id" {
  description = "The private subnet's id."
  value       = google_compute_subnetwork.private.id
}

output "subnet_name" {
  description = "The private subnet's name."
  value       = google_compute_subnetwork.private.name
}

output "private_services_network_id" {
  description = "The network id, available only once private services access is connected: Cloud SQL instances take it so they wait for the peering."
  value       = google_compute_network.this.id
  depends_on  = [google_service_networking_connection.private_services]
}
