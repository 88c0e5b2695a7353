variable "name" {
  type        = string
  description = "Blueprint name; the resource group is called rg-<name>."

  validation {
    # Resource group names allow 1-90 characters; the blueprint name is shorter.
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,50}$", var.name))
    error_message = "name must be 1-51 lower-case letters, digits and dashes."
  }
}

variable "labels" {
  type        = map(string)
  description = "Tags put on the resource group."
}

variable "location" {
  type        = string
  description = "Azure region of the group and of every resource skyform places in it (e.g. westeurope)."
}
