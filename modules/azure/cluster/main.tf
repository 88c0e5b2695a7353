# A neutral cluster on Azure: an AKS cluster whose system (default) node pool
# is the blueprint's first regular pool, plus one user node pool per other
# blueprint pool. Nodes sit in the blueprint network's AKS subnet; pods get
# addresses from an overlay range, so the subnet only sizes nodes.

locals {
  # Spot pools need a pod toleration: AKS taints spot nodes, and declaring the
  # taint keeps plans from trying to remove it.
  spot_taint = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"

  endpoint_host = var.private_cluster ? azurerm_kubernetes_cluster.this.private_fqdn : azurerm_kubernetes_cluster.this.fqdn
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  dns_prefix          = var.dns_prefix != null ? var.dns_prefix : var.name
  kubernetes_version  = var.kubernetes_version
  sku_tier            = var.sku_tier

  # The blueprint pins a minor version; AKS keeps it on the latest patch.
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"

  # A private cluster's API server has only a private address in the
  # network, resolved through a private DNS zone AKS manages.
  private_cluster_enabled = var.private_cluster

  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  default_node_pool {
    name                 = var.default_pool.name
    vm_size              = var.default_pool.vm_size
    vnet_subnet_id       = var.subnet_id
    auto_scaling_enabled = true
    min_count            = var.default_pool.min_count
    max_count            = var.default_pool.max_count
    os_disk_size_gb      = var.os_disk_size_gb
    # Changing the size of the default pool rotates it through a temporary
    # pool instead of replacing the whole cluster.
    temporary_name_for_rotation = "rotating"
    tags                        = var.labels

    # AKS fills these in when they are left out; declaring its defaults keeps
    # plans clean.
    upgrade_settings {
      max_surge                     = "10%"
      drain_timeout_in_minutes      = 0
      node_soak_duration_in_minutes = 0
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    pod_cidr            = var.pod_cidr
    service_cidr        = var.service_cidr
    dns_service_ip      = cidrhost(var.service_cidr, 10)
    load_balancer_sku   = "standard"
    outbound_type       = "loadBalancer"
  }

  # azurerm 5 requires the block. Manual keeps the node pools declared here
  # authoritative; Auto would hand them to node auto-provisioning.
  node_provisioning_profile {
    mode = "Manual"
  }

  tags = var.labels
}

resource "azurerm_kubernetes_cluster_node_pool" "this" {
  for_each = var.node_pools

  name                  = each.value.name
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  mode                  = "User"
  vm_size               = each.value.vm_size
  vnet_subnet_id        = var.subnet_id
  orchestrator_version  = var.kubernetes_version
  os_disk_size_gb       = var.os_disk_size_gb

  auto_scaling_enabled = true
  min_count            = each.value.min_count
  max_count            = each.value.max_count

  # Spot: evicted nodes are deleted (the autoscaler brings new ones), and a
  # price of -1 pays up to the on-demand price, so nodes are only evicted
  # for capacity, never for price.
  priority        = each.value.spot ? "Spot" : "Regular"
  eviction_policy = each.value.spot ? "Delete" : null
  spot_max_price  = each.value.spot ? -1 : null
  node_taints     = each.value.spot ? [local.spot_taint] : null

  # Spot pools take no surge settings.
  dynamic "upgrade_settings" {
    for_each = each.value.spot ? [] : [1]
    content {
      max_surge                     = "10%"
      drain_timeout_in_minutes      = 0
      node_soak_duration_in_minutes = 0
    }
  }

  tags = var.labels
}

# The cluster's identity manages load balancers and node addresses in a
# subnet it does not own.
resource "azurerm_role_assignment" "subnet" {
  scope                = var.subnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_kubernetes_cluster.this.identity[0].principal_id
  principal_type       = "ServicePrincipal"
}
