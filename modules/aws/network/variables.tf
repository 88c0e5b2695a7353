variable "name" {
  description = "Name of the network, the blueprint's name; prefixes every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}$", var.name))
    error_message = "The name must be 1 to 51 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "labels" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "cidr_block" {
  description = "IPv4 range of the VPC. Private subnets get a /4 slice of it each (a /20 of a /16), public subnets a /24 at its top."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = try(cidrnetmask(var.cidr_block) != "" && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 20, false)
    error_message = "The cidr_block must be an IPv4 CIDR between /16 and /20 (AWS allows /16 at most, and the subnets are carved out of it)."
  }
}

variable "zone_count" {
  description = "Number of availability zones to spread the subnets over. RDS subnet groups and EKS clusters need at least two."
  type        = number
  default     = 2

  validation {
    condition     = var.zone_count >= 2 && var.zone_count <= 6 && floor(var.zone_count) == var.zone_count
    error_message = "The zone_count must be a whole number from 2 to 6."
  }
}

variable "nat_gateway" {
  description = "Create public subnets, an internet gateway and one NAT gateway so that private workloads (EKS nodes, functions in the VPC) reach the internet. Off by default: a NAT gateway is billed by the hour and by the gigabyte."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "AWS services (short names such as \"sqs\" or \"secretsmanager\") to reach from the private subnets through interface VPC endpoints, for workloads that have no NAT gateway."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9][a-z0-9.-]*$", s))])
    error_message = "Each interface endpoint is a service short name such as \"sqs\", \"secretsmanager\" or \"ecr.api\"."
  }
}
