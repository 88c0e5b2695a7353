output "id" {
  description = "Resource ID of the Service Bus queue."
  value       = azurerm_servicebus_queue.this.id
}

output "name" {
  description = "Name of the queue in its namespace."
  value       = azurerm_servicebus_queue.this.name
}

output "url" {
  description = "Address of the queue entity (https://<namespace>.servicebus.windows.net/<queue>)."
  value       = "https://${local.namespace_host}/${azurerm_servicebus_queue.this.name}"
}

output "namespace_id" {
  description = "Resource ID of the namespace."
  value       = azurerm_servicebus_namespace.this.id
}

output "namespace_name" {
  description = "Name of the namespace."
  value       = azurerm_servicebus_namespace.this.name
}

output "namespace_host" {
  description = "Fully qualified host name of the namespace, for identity-based connections (<connection>__fullyQualifiedNamespace)."
  value       = local.namespace_host
}

output "dead_letter_queue" {
  description = "Entity path of the built-in dead-letter sub-queue."
  value       = "${azurerm_servicebus_queue.this.name}/$DeadLetterQueue"
}
