output "id" {
  description = "The cluster's id (projects/<project>/locations/<region>/clusters/<name>)."
  value       = google_container_cluster.this.id
}

output "name" {
  description = "The cluster's name."
  value       = google_container_cluster.this.name
}

output "endpoint" {
  description = "The Kubernetes API server address (private when the endpoint is private)."
  value       = "https://${google_container_cluster.this.endpoint}"
}

output "ca_certificate" {
  description = "The cluster's CA certificate, base64-encoded."
  value       = one(google_container_cluster.this.master_auth[*].cluster_ca_certificate)
}

output "node_service_account" {
  description = "The nodes' service account, to grant workloads more access."
  value       = google_service_account.nodes.email
}
