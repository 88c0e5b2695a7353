output "id" {
  description = "Resource ID of the function app."
  value       = azurerm_function_app_flex_consumption.this.id
}

output "name" {
  description = "Name of the function app."
  value       = azurerm_function_app_flex_consumption.this.name
}

output "url" {
  description = "HTTPS address of the HTTP function (https://<app>.azurewebsites.net/api/<route>), or \"\" without an HTTP trigger."
  value       = var.http ? trimsuffix("https://${azurerm_function_app_flex_consumption.this.default_hostname}/api/${var.http_route}", "/") : ""
}

output "principal_id" {
  description = "Object ID of the function's user-assigned identity, for further role assignments."
  value       = azurerm_user_assigned_identity.this.principal_id
}

output "client_id" {
  description = "Client ID of the function's user-assigned identity (AZURE_CLIENT_ID for SDKs)."
  value       = azurerm_user_assigned_identity.this.client_id
}
