# Every Azure resource lives in a resource group. skyform gives each
# blueprint one group, named after it, so deleting the blueprint's resources
# leaves nothing behind and the portal shows them together.
resource "azurerm_resource_group" "this" {
  name     = "rg-${var.name}"
  location = var.location
  tags     = var.labels
}
