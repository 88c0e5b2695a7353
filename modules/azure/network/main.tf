# The blueprint's private network on Azure: one virtual network with a subnet
# per kind of tenant that needs one, and the private DNS zones the flexible
# database servers register their host names in.
#
# Each subnet has a fixed place in the address space (not a position in a
# list), so adding a database to a blueprint that only had a cluster never
# moves or replaces an existing subnet.

locals {
  subnets = {
    # AKS nodes. Pods get addresses from an overlay range (see the cluster
    # module), so the subnet only needs room for nodes: a /20 holds 4,000.
    aks = {
      enabled    = var.cluster
      netnum     = 0
      newbits    = 4
      delegation = null
    }
    # Flex Consumption function apps integrate through a subnet delegated to
    # Microsoft.App/environments (the subscription needs the Microsoft.App
    # resource provider, which the root module registers). The blueprint's
    # function apps share it, and every scaled-out instance takes an
    # address, so it is as large as the cluster's.
    functions = {
      enabled    = var.functions
      netnum     = 1
      newbits    = 4
      delegation = "Microsoft.App/environments"
    }
    # A flexible server's subnet may only hold flexible servers of its engine.
    postgres = {
      enabled    = var.postgres
      netnum     = 32
      newbits    = 8
      delegation = "Microsoft.DBforPostgreSQL/flexibleServers"
    }
    mysql = {
      enabled    = var.mysql
      netnum     = 33
      newbits    = 8
      delegation = "Microsoft.DBforMySQL/flexibleServers"
    }
  }
  enabled = { for k, s in local.subnets : k => s if s.enabled }

  # Flexible servers with private access need a private DNS zone whose name
  # ends in the engine's domain; one zone per blueprint and engine.
  dns_zones = {
    postgres = var.postgres ? "${var.name}.private.postgres.database.azure.com" : null
    mysql    = var.mysql ? "${var.name}.private.mysql.database.azure.com" : null
  }
  enabled_zones = { for k, z in local.dns_zones : k => z if z != null }
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name}"
  resource_group_name = var.resource_group_name
  location            = var.location
  address_space       = [var.address_space]
  tags                = var.labels
}

resource "azurerm_subnet" "this" {
  for_each = local.enabled

  name                 = "snet-${each.key}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [cidrsubnet(var.address_space, each.value.newbits, each.value.netnum)]

  # Nothing here needs a public address of its own: AKS leaves through its
  # load balancer, functions reach public endpoints outside the VNet, and
  # databases only answer. No NAT gateway is created (it costs by the hour).
  default_outbound_access_enabled = false

  dynamic "delegation" {
    for_each = each.value.delegation == null ? [] : [each.value.delegation]
    content {
      name = "delegation"
      service_delegation {
        name = delegation.value
        # Azure adds this action itself; declaring it keeps plans clean.
        actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
      }
    }
  }
}

resource "azurerm_private_dns_zone" "this" {
  for_each = local.enabled_zones

  name                = each.value
  resource_group_name = var.resource_group_name
  tags                = var.labels
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  for_each = local.enabled_zones

  name                 = "${var.name}-${each.key}"
  private_dns_zone_id  = azurerm_private_dns_zone.this[each.key].id
  virtual_network_id   = azurerm_virtual_network.this.id
  registration_enabled = false
  tags                 = var.labels
}
