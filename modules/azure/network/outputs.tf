output "id" {
  description = "Resource ID of the virtual network."
  value       = azurerm_virtual_network.this.id
}

output "name" {
  description = "Name of the virtual network."
  value       = azurerm_virtual_network.this.name
}

output "cluster_subnet_id" {
  description = "Subnet for AKS nodes, or null when no cluster needs it."
  value       = try(azurerm_subnet.this["aks"].id, null)
}

output "functions_subnet_id" {
  description = "Subnet delegated to Microsoft.App/environments for function apps, or null."
  value       = try(azurerm_subnet.this["functions"].id, null)
}

output "postgres_subnet_id" {
  description = "Subnet delegated to PostgreSQL flexible servers, or null."
  value       = try(azurerm_subnet.this["postgres"].id, null)
}

output "mysql_subnet_id" {
  description = "Subnet delegated to MySQL flexible servers, or null."
  value       = try(azurerm_subnet.this["mysql"].id, null)
}

# The zone IDs are read through the virtual network links, so a server that
# uses them is only created once its name can resolve inside the network.
output "postgres_private_dns_zone_id" {
  description = "Private DNS zone for PostgreSQL flexible servers, or null."
  value       = try(azurerm_private_dns_zone_virtual_network_link.this["postgres"].private_dns_zone_id, null)
}

output "mysql_private_dns_zone_id" {
  description = "Private DNS zone for MySQL flexible servers, or null."
  value       = try(azurerm_private_dns_zone_virtual_network_link.this["mysql"].private_dns_zone_id, null)
}
