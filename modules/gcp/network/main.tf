# The implicit network every GCP resource of a blueprint shares.
#
# A VPC subnet is regional and spans every zone of its region, so one private
# subnet gives the same multi-zone placement that needs a subnet per zone on
# other clouds. There is no Cloud NAT: nothing here needs the internet.
# Private Google Access lets GKE nodes pull from Artifact Registry and call
# Google APIs without public addresses; images from other registries need a
# Cloud NAT added beside this module.

resource "google_compute_network" "this" {
  name                    = var.name
  description             = "skyform network of blueprint ${var.name}"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

# GKE clusters get their Pod and Service ranges as GKE-managed secondary
# ranges of this subnet (see the cluster module): each cluster needs ranges
# of its own, and letting GKE pick free ones keeps a cluster's ranges stable
# when other clusters are added or removed. secondary_ip_range is therefore
# left out here, and Terraform does not fight GKE over it.
resource "google_compute_subnetwork" "private" {
  name                     = "${var.name}-private"
  description              = "skyform private subnet of blueprint ${var.name}"
  network                  = google_compute_network.this.id
  region                   = var.region
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true
}

# Private services access: Cloud SQL instances get private addresses from
# this range, reached over a peering with Google's service network. The range
# is fixed rather than picked by Google, so GKE-managed ranges never collide
# with it.
resource "google_compute_global_address" "private_services" {
  name          = "${var.name}-private-services"
  description   = "Private services access range of blueprint ${var.name}"
  network       = google_compute_network.this.id
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  address       = split("/", var.private_services_cidr)[0]
  prefix_length = tonumber(split("/", var.private_services_cidr)[1])
  labels        = var.labels
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.this.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]

  # Google keeps producer resources of deleted Cloud SQL instances for a
  # while, and removing the peering fails until they are gone; abandoning it
  # lets terraform destroy finish (the peering goes with the network).
  deletion_policy = "ABANDON"
}
