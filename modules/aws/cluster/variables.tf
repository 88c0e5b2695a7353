variable "name" {
  description = "Name of the EKS cluster, \"<blueprint>-<resource>\"; also names its IAM roles."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,56}$", var.name))
    error_message = "The name must be 1 to 57 lower-case letters, digits or dashes, starting with a letter, so that the role names \"<name>-cluster\" and \"<name>-nodes\" fit IAM's 64 characters."
  }
}

variable "labels" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the node groups, e.g. \"1.33\"."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "The kubernetes_version is a minor version such as 1.33."
  }
}

variable "subnet_ids" {
  description = "Private subnets, in at least two availability zones, for the control plane's network interfaces and the nodes."
  type        = list(string)
}

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API server on the internet (restricted to public_access_cidrs)."
  type        = bool
  default     = true
}

variable "endpoint_private_access" {
  description = "Expose the Kubernetes API server inside the VPC; nodes then reach it without leaving the VPC."
  type        = bool
  default     = true
}

variable "public_access_cidrs" {
  description = "IPv4 ranges allowed to reach the public API server endpoint."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "node_pools" {
  description = "Managed node groups, keyed by the blueprint's pool name."
  type = map(object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    # Nodes at creation; null starts at min_size, or 1 when min_size is 0.
    desired_size  = optional(number)
    capacity_type = optional(string, "ON_DEMAND")
    disk_size     = optional(number, 20)
    ami_type      = optional(string, "AL2023_x86_64_STANDARD")
    labels        = optional(map(string), {})
  }))

  validation {
    condition     = length(var.node_pools) > 0
    error_message = "A cluster needs at least one node pool."
  }

  validation {
    condition = alltrue([for k, p in var.node_pools :
      can(regex("^[a-z][a-z0-9-]{0,35}$", k)) && length(p.instance_types) > 0 &&
      p.min_size >= 0 && p.max_size >= 1 && p.min_size <= p.max_size &&
      contains(["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"], p.capacity_type) && p.disk_size >= 1
    ])
    error_message = "Each node pool needs a name of at most 36 characters, instance types, 0 <= min_size <= max_size with max_size >= 1, a capacity_type of ON_DEMAND, SPOT or CAPACITY_BLOCK, and a disk size in GiB."
  }
}

variable "additional_security_group_ids" {
  description = "Extra security groups for the control plane's network interfaces."
  type        = list(string)
  default     = []
}

variable "enabled_cluster_log_types" {
  description = "Control plane logs sent to CloudWatch Logs (api, audit, authenticator, controllerManager, scheduler)."
  type        = list(string)
  default     = []
}

variable "support_type" {
  description = "Version policy past the end of standard support: \"STANDARD\" (EKS upgrades the cluster) or \"EXTENDED\" (paid extended support); null keeps the EKS default, EXTENDED."
  type        = string
  default     = null

  validation {
    condition     = var.support_type == null || contains(["STANDARD", "EXTENDED"], coalesce(var.support_type, "-"))
    error_message = "The support_type must be STANDARD, EXTENDED or null."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster."
  type        = bool
  default     = false
}
