# A regional GKE Standard cluster with private nodes and one managed node
# pool per blueprint pool. Nodes run as a service account of their own with
# the minimal roles GKE documents, not as the Compute Engine default account
# (which holds Editor).

locals {
  # GKE cluster names are at most 40 characters.
  name = length(var.name) <= 40 ? var.name : "${substr(var.name, 0, 33)}-${substr(sha1(var.name), 0, 6)}"

  # Service account ids are 6 to 30 characters.
  account = length(var.name) <= 24 ? var.name : "${substr(var.name, 0, 17)}-${substr(sha1(var.name), 0, 6)}"

  node_roles = toset([
    "roles/artifactregistry.reader",
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
  ])
}

data "google_project" "this" {}

resource "google_service_account" "nodes" {
  account_id   = "${local.account}-nodes"
  display_name = "Nodes of ${var.name}"
  description  = "Identity of the nodes of the skyform cluster ${var.name}."
}

resource "google_project_iam_member" "nodes" {
  for_each = local.node_roles

  project = data.google_project.this.project_id
  role    = each.value
  member  = google_service_account.nodes.member
}

resource "google_container_cluster" "this" {
  name                = local.name
  location            = var.region
  resource_labels     = var.labels
  deletion_protection = var.deletion_protection

  network    = var.network_id
  subnetwork = var.subnet_id

  # Node pools are managed below, so a change to one never recreates the
  # cluster; GKE needs a default pool at creation, which is removed at once.
  remove_default_node_pool = true
  initial_node_count       = 1

  # min_master_version takes a minor version ("1.32"): GKE picks its newest
  # patch. On the EXTENDED channel minors are not upgraded automatically
  # before the end of extended support.
  min_master_version = var.kubernetes_version

  release_channel {
    channel = var.release_channel
  }

  # VPC-native, with GKE-managed secondary ranges picked free in the subnet:
  # each cluster needs Pod and Service ranges of its own, and GKE choosing
  # them keeps every cluster's ranges stable as clusters come and go.
  ip_allocation_policy {
    cluster_ipv4_cidr_block  = var.pods_cidr_size
    services_ipv4_cidr_block = var.services_cidr_size
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = var.private_endpoint
    master_ipv4_cidr_block  = var.master_ipv4_cidr_block
  }

  workload_identity_config {
    workload_pool = "${data.google_project.this.project_id}.svc.id.goog"
  }

  # The throw-away default pool runs as the node account too.
  node_config {
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    resource_labels = var.labels
  }

  lifecycle {
    # The default pool's settings only matter for the moment it exists.
    ignore_changes = [node_config]
  }

  depends_on = [google_project_iam_member.nodes]
}

resource "google_container_node_pool" "this" {
  for_each = var.node_pools

  name     = each.key
  cluster  = google_container_cluster.this.id
  location = var.region

  # A regional pool starts with this many nodes in each zone; ceil(min/3)
  # reaches the pool's minimum in a three-zone region, and the autoscaler
  # keeps the whole pool within min and max from then on.
  initial_node_count = ceil(each.value.min / 3)

  autoscaling {
    total_min_node_count = each.value.min
    total_max_node_count = each.value.max
    location_policy      = each.value.spot ? "ANY" : "BALANCED"
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = each.value.machine_type
    spot            = each.value.spot
    disk_size_gb    = var.node_disk_size_gb
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    resource_labels = var.labels

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }
  }

  lifecycle {
    # The autoscaler owns the node count.
    ignore_changes = [initial_node_count]
  }
}
