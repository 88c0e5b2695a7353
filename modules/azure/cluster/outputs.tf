output "id" {
  description = "Resource ID of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.id
}

output "name" {
  description = "Name of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.name
}

output "endpoint" {
  description = "Kubernetes API server address (private for a private cluster)."
  value       = "https://${local.endpoint_host}:443"
}

output "oidc_issuer_url" {
  description = "OIDC issuer of the cluster, for workload identity federation."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "node_resource_group" {
  description = "Resource group AKS keeps the nodes in."
  value       = azurerm_kubernetes_cluster.this.node_resource_group
}

output "kubelet_identity_object_id" {
  description = "Object ID of the kubelet identity, e.g. to grant it AcrPull on a registry."
  value       = one(azurerm_kubernetes_cluster.this.kubelet_identity[*].object_id)
}
