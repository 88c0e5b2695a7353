variable "name" {
  type        = string
  description = "Cloud name of the cluster (<blueprint>-<resource>); also its DNS prefix."

  validation {
    # AKS takes 1-63 characters and a DNS prefix of 1-54.
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}[a-z0-9]$", var.name))
    error_message = "name must be 2-52 lower-case letters, digits and dashes, starting with a letter and not ending with a dash."
  }
}

variable "labels" {
  type        = map(string)
  description = "Tags put on the cluster and its node pools."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the cluster (AKS puts the nodes in a group of its own)."
}

variable "location" {
  type        = string
  description = "Azure region of the cluster."
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version (e.g. 1.32); AKS applies the latest patch."

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.32."
  }
}

variable "private_cluster" {
  type        = bool
  description = "Give the API server a private address only."
  default     = false
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the nodes."
}

variable "default_pool" {
  type = object({
    name      = string
    vm_size   = string
    min_count = number
    max_count = number
  })
  description = "The system node pool: it runs the cluster's own services and cannot be Spot."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,11}$", var.default_pool.name)) && var.default_pool.min_count >= 1 && var.default_pool.max_count >= var.default_pool.min_count && var.default_pool.max_count <= 1000
    error_message = "default_pool needs a name of 1-12 lower-case letters and digits starting with a letter, and 1 <= min_count <= max_count <= 1000."
  }
}

variable "node_pools" {
  type = map(object({
    name      = string
    vm_size   = string
    min_count = number
    max_count = number
    spot      = bool
  }))
  description = "User node pools, keyed by blueprint pool name; name is the AKS pool name."
  default     = {}

  validation {
    condition = alltrue([for p in values(var.node_pools) :
      can(regex("^[a-z][a-z0-9]{0,11}$", p.name)) && p.min_count >= 0 && p.max_count >= p.min_count && p.max_count >= 1 && p.max_count <= 1000
    ])
    error_message = "Each node pool needs a name of 1-12 lower-case letters and digits starting with a letter, and 0 <= min_count <= max_count <= 1000 with max_count >= 1."
  }
}

variable "sku_tier" {
  type        = string
  description = "AKS control plane tier: Free, Standard (uptime SLA) or Premium (long-term support)."
  default     = "Free"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "sku_tier must be Free, Standard or Premium."
  }
}

variable "os_disk_size_gb" {
  type        = number
  description = "OS disk size of every node."
  default     = 128

  validation {
    condition     = var.os_disk_size_gb >= 30 && var.os_disk_size_gb <= 2048
    error_message = "os_disk_size_gb must be 30 to 2048."
  }
}

variable "pod_cidr" {
  type        = string
  description = "Overlay range pods get addresses from; it must not overlap the network or anything peered with it."
  default     = "192.168.0.0/16"

  validation {
    condition     = can(cidrhost(var.pod_cidr, 0))
    error_message = "pod_cidr must be an IPv4 CIDR block."
  }
}

variable "service_cidr" {
  type        = string
  description = "Range of Kubernetes service addresses (cluster DNS takes its 10th address); it must not overlap the network."
  default     = "172.16.0.0/16"

  validation {
    condition     = can(cidrhost(var.service_cidr, 10))
    error_message = "service_cidr must be an IPv4 CIDR block with at least 11 addresses."
  }
}

variable "dns_prefix" {
  type        = string
  description = "DNS prefix of the API server's host name; null is the cluster's name (skyform import sets it to keep an existing cluster's prefix)."
  default     = null
}
