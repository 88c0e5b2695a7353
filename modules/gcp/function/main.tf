# A Cloud Run function (2nd gen) built from the packaged zip, running as a
# service account of its own that holds only what the blueprint wires up.
#
# Queue triggers are push subscriptions created here, not Eventarc
# event_trigger blocks: Eventarc makes its own Google-managed subscription
# whose acknowledgement deadline, ordering and dead-letter policy cannot be
# set, so the queue's delivery semantics would be silently dropped (and
# event-driven functions stop at 9 minutes). A push subscription carries the
# queue's settings, delivers to the function's HTTPS endpoint with an OIDC
# token, and the Functions Framework turns the Pub/Sub push envelope into the
# same CloudEvent an Eventarc trigger would deliver.

locals {
  # Cloud Run service names, which functions share, are at most 49
  # characters; longer names keep a hash of the full name so they stay unique.
  name = length(var.name) <= 49 ? var.name : "${substr(var.name, 0, 42)}-${substr(sha1(var.name), 0, 6)}"

  # Service account ids are 6 to 30 characters; the longest suffix is "-sched".
  account = length(var.name) <= 23 ? var.name : "${substr(var.name, 0, 16)}-${substr(sha1(var.name), 0, 6)}"

  # Bucket names are global: a hash of project and name makes them unique.
  # They may not contain "google" nor start with "goog".
  bucket = "${replace(replace(local.name, "google", "ggl"), "/^goog/", "gg")}-src-${substr(sha1("${data.google_project.this.project_id}/${var.name}"), 0, 8)}"

  # Pub/Sub names must not start with "goog".
  subscription_prefix = startswith(local.name, "goog") ? "s-${local.name}" : local.name

  pubsub_agent    = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  queue_triggered = length(var.queue_triggers) > 0
  scheduled       = length(var.schedule_triggers) > 0
}

data "google_project" "this" {}

resource "google_service_account" "function" {
  account_id   = "${local.account}-fn"
  display_name = "Function ${var.name}"
  description  = "Runtime identity of the skyform function ${var.name}."
}

resource "google_storage_bucket" "source" {
  name                        = local.bucket
  location                    = var.region
  labels                      = var.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # The bucket only holds the uploaded source zips.
  force_destroy = true
}

# The object is named after the zip's hash: a code change is a new object,
# which changes the function's source and redeploys it.
resource "google_storage_bucket_object" "source" {
  name         = "${var.source_sha256}.zip"
  bucket       = google_storage_bucket.source.name
  source       = "${path.root}/${var.source_zip}"
  content_type = "application/zip"
}

resource "google_cloudfunctions2_function" "this" {
  name        = local.name
  location    = var.region
  description = "skyform function ${var.name}"
  labels      = var.labels

  build_config {
    runtime     = var.runtime
    entry_point = var.entry_point

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.memory
    timeout_seconds                  = var.timeout_seconds
    max_instance_count               = var.max_instances > 0 ? var.max_instances : null
    max_instance_request_concurrency = 1
    environment_variables            = var.environment
    service_account_email            = google_service_account.function.email
    ingress_settings                 = var.ingress_settings
    all_traffic_on_latest_revision   = true

    # Direct VPC egress rather than a Serverless VPC Access connector: no
    # always-on connector VMs to pay for, and only traffic to private ranges
    # (the Cloud SQL private addresses) enters the VPC.
    direct_vpc_egress = var.vpc_access ? "VPC_EGRESS_PRIVATE_RANGES_ONLY" : null

    dynamic "direct_vpc_network_interface" {
      for_each = var.vpc_access ? [var.vpc_subnetwork] : []
      content {
        network    = var.vpc_network
        subnetwork = direct_vpc_network_interface.value
      }
    }
  }
}

# Invoking a 2nd gen function is a Cloud Run permission on its service.
resource "google_cloud_run_v2_service_iam_member" "public" {
  count = var.http_trigger && var.public ? 1 : 0

  location = google_cloudfunctions2_function.this.location
  name     = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Under IAM database authentication a short-lived token of the database's
# administrator service account is the password; the function may mint such
# tokens for the databases it refers to, and for nothing else.
resource "google_service_account_iam_member" "database_token" {
  for_each = var.database_service_accounts

  service_account_id = each.value
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.function.member
}

# Pub/Sub signs push requests with an OIDC token of this account, which may
# invoke this function's service only.
resource "google_service_account" "push" {
  count = local.queue_triggered ? 1 : 0

  account_id   = "${local.account}-push"
  display_name = "Queue push to ${var.name}"
  description  = "Pub/Sub pushes queue messages to the skyform function ${var.name} as this account."
}

resource "google_cloud_run_v2_service_iam_member" "push" {
  count = local.queue_triggered ? 1 : 0

  location = google_cloudfunctions2_function.this.location
  name     = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.push[0].member
}

# Projects created before April 2021 need the Pub/Sub service agent to hold
# this to sign push tokens; granted on the push account only.
resource "google_service_account_iam_member" "push_token_creator" {
  count = local.queue_triggered ? 1 : 0

  service_account_id = google_service_account.push[0].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

resource "google_pubsub_subscription" "trigger" {
  for_each = var.queue_triggers

  name                       = "${local.subscription_prefix}-${each.key}"
  topic                      = each.value.topic_id
  labels                     = var.labels
  ack_deadline_seconds       = each.value.ack_deadline_seconds
  message_retention_duration = "${each.value.message_retention_seconds}s"
  enable_message_ordering    = each.value.fifo

  expiration_policy {
    ttl = ""
  }

  push_config {
    push_endpoint = google_cloudfunctions2_function.this.service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.push[0].email
    }
  }

  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letter ? [each.value] : []
    content {
      dead_letter_topic     = dead_letter_policy.value.dead_letter_topic_id
      max_delivery_attempts = dead_letter_policy.value.max_delivery_attempts
    }
  }

  depends_on = [
    google_cloud_run_v2_service_iam_member.push,
    google_service_account_iam_member.push_token_creator,
  ]
}

# Dead lettering needs the Pub/Sub service agent to acknowledge on the
# subscription; the queue module grants it publishing to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each = { for queue, t in var.queue_triggers : queue => t if t.dead_letter }

  subscription = google_pubsub_subscription.trigger[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# Cloud Scheduler calls the function's URL with an OIDC token of this
# account, which may invoke this function's service only.
resource "google_service_account" "scheduler" {
  count = local.scheduled ? 1 : 0

  account_id   = "${local.account}-sched"
  display_name = "Schedules of ${var.name}"
  description  = "Cloud Scheduler calls the skyform function ${var.name} as this account."
}

resource "google_cloud_run_v2_service_iam_member" "scheduler" {
  count = local.scheduled ? 1 : 0

  location = google_cloudfunctions2_function.this.location
  name     = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler[0].member
}

# Each job calls the function at the times of its schedule, read in its time
# zone (daylight saving time included). A call that fails or outlasts the
# attempt deadline is not retried: the next run comes at the next time.
resource "google_cloud_scheduler_job" "trigger" {
  for_each = var.schedule_triggers

  name             = "${local.name}-${each.key}"
  region           = var.region
  description      = "Calls the skyform function ${var.name}"
  schedule         = each.value.schedule
  time_zone        = each.value.time_zone
  attempt_deadline = each.value.attempt_deadline

  http_target {
    uri         = google_cloudfunctions2_function.this.service_config[0].uri
    http_method = "POST"

    oidc_token {
      service_account_email = google_service_account.scheduler[0].email
      audience              = google_cloudfunctions2_function.this.service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.scheduler]
}
