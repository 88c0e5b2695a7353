variable "name" {
  description = "The cluster's name, \"<blueprint>-<resource>\"; shortened with a hash to GKE's 40 characters when longer."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits or dashes, start with a letter and not end with a dash."
  }
}

variable "labels" {
  description = "Labels put on the cluster and its nodes."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "The region of the (regional) cluster: the control plane and nodes spread over its zones."
  type        = string
}

variable "network_id" {
  description = "The VPC network of the cluster."
  type        = string
}

variable "subnet_id" {
  description = "The subnet the nodes take addresses from; GKE adds the cluster's Pod and Service ranges to it."
  type        = string
}

variable "kubernetes_version" {
  description = "The Kubernetes minor version (e.g. 1.32), the cluster's minimum control plane version."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "The version must be a Kubernetes minor version such as 1.32."
  }
}

variable "release_channel" {
  description = "The GKE release channel. EXTENDED keeps the cluster on its minor version until the end of extended support (automatic patch upgrades only); REGULAR or STABLE follow newer minors."
  type        = string
  default     = "EXTENDED"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE", "EXTENDED"], var.release_channel)
    error_message = "The release channel must be RAPID, REGULAR, STABLE or EXTENDED."
  }
}

variable "private_endpoint" {
  description = "Reach the Kubernetes API only from inside the VPC."
  type        = bool
  default     = false
}

variable "master_ipv4_cidr_block" {
  description = "A /28 for the control plane of a VPC-peering private cluster; null lets GKE use Private Service Connect, which needs none."
  type        = string
  default     = null
}

variable "pods_cidr_size" {
  description = "Netmask of the GKE-managed Pod range (e.g. /14 holds 1024 nodes of 110 Pods)."
  type        = string
  default     = "/14"

  validation {
    condition     = can(regex("^/(9|1[0-9]|2[0-1])$", var.pods_cidr_size))
    error_message = "The Pod range netmask must be /9 to /21."
  }
}

variable "services_cidr_size" {
  description = "Netmask of the GKE-managed Service range."
  type        = string
  default     = "/20"

  validation {
    condition     = can(regex("^/(1[6-9]|2[0-7])$", var.services_cidr_size))
    error_message = "The Service range netmask must be /16 to /27."
  }
}

variable "node_pools" {
  description = "Node pools by name: machine type, the fewest and most nodes in the whole pool, and whether nodes are Spot VMs."
  type = map(object({
    machine_type = string
    min          = number
    max          = number
    spot         = bool
  }))

  validation {
    condition     = alltrue([for name, p in var.node_pools : can(regex("^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", name)) && p.min >= 0 && p.max >= 1 && p.min <= p.max])
    error_message = "Node pool names are 1 to 40 lower-case letters, digits or dashes; 0 <= min <= max and max >= 1."
  }
}

variable "node_disk_size_gb" {
  description = "Boot disk size of every node."
  type        = number
  default     = 100

  validation {
    condition     = var.node_disk_size_gb >= 10
    error_message = "GKE node boot disks are at least 10 GB."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster in Terraform. Off by default because the blueprint has no such setting for clusters and a plan/apply/destroy cycle must work."
  type        = bool
  default     = false
}
