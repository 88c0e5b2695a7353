variable "name" {
  type        = string
  description = "Blueprint name; names the virtual network (vnet-<name>) and the private DNS zones."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,50}$", var.name))
    error_message = "name must be 1-51 lower-case letters, digits and dashes."
  }
}

variable "labels" {
  type        = map(string)
  description = "Tags put on every taggable resource."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the network."
}

variable "location" {
  type        = string
  description = "Azure region of the network."
}

variable "address_space" {
  type        = string
  description = "Address space of the virtual network. It must stay clear of the cluster's pod and service ranges and of any network it will be peered with."
  default     = "10.40.0.0/16"

  validation {
    # Subnets are carved with fixed offsets that need at least a /16.
    condition     = can(cidrhost(var.address_space, 0)) && try(tonumber(split("/", var.address_space)[1]) <= 16, false)
    error_message = "address_space must be an IPv4 CIDR block of /16 or larger."
  }
}

variable "cluster" {
  type        = bool
  description = "Create the subnet for AKS nodes."
  default     = false
}

variable "functions" {
  type        = bool
  description = "Create the subnet that Flex Consumption function apps integrate with."
  default     = false
}

variable "postgres" {
  type        = bool
  description = "Create the subnet and private DNS zone for PostgreSQL flexible servers."
  default     = false
}

variable "mysql" {
  type        = bool
  description = "Create the subnet and private DNS zone for MySQL flexible servers."
  default     = false
}
