variable "name" {
  description = "The blueprint's name; every network resource is named after it."
  type        = string

  validation {
    # Compute names are RFC 1035 labels of at most 63 characters; the
    # longest derived name adds "-private-services" (17 characters).
    condition     = can(regex("^[a-z]([a-z0-9-]{0,44}[a-z0-9])?$", var.name))
    error_message = "The name must be 1 to 46 lower-case letters, digits or dashes, start with a letter and not end with a dash."
  }
}

variable "labels" {
  description = "Labels put on every labelable resource of the network."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "The region of the private subnet (Cloud SQL, GKE and Cloud Run functions all live in it)."
  type        = string
}

variable "subnet_cidr" {
  description = "Primary range of the private subnet: GKE nodes and the functions' Direct VPC egress addresses come from it."
  type        = string
  default     = "10.0.0.0/20"

  validation {
    condition     = can(cidrnetmask(var.subnet_cidr))
    error_message = "The subnet range must be an IPv4 CIDR block such as 10.0.0.0/20."
  }
}

variable "private_services_cidr" {
  description = "Range reserved for Google-managed services (Cloud SQL) reached through private services access; at least a /24, a /16 leaves room for many instances."
  type        = string
  default     = "10.100.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.private_services_cidr)) && tonumber(split("/", var.private_services_cidr)[1]) <= 24
    error_message = "The private services range must be an IPv4 CIDR block of /24 or larger, such as 10.100.0.0/16."
  }
}
