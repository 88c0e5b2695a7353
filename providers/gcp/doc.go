// Package gcp lowers the resources a blueprint places on Google Cloud into
// calls of the embedded modules under modules/gcp, for the hashicorp/google
// provider.
//
// The root module gets one provider "google" block whose project comes from
// the root variable gcp_project (a project id is not a secret, and keeping it
// out of the blueprint lets one blueprint deploy to several projects) and
// whose region is the blueprint's region. The implicit module gcp_network
// (a VPC with one regional private subnet and private services access for
// Cloud SQL) comes first when a database or a cluster needs it; then one
// module per resource, labelled with the resource's Terraform identifier.
//
// Lowering maps what the services express natively and says, as warnings
// pointing at the blueprint field, where Google Cloud only approximates the
// neutral meaning: Pub/Sub limits (acknowledgement deadline, retention,
// delivery attempts) are clamped, FIFO is ordering per ordering key, Cloud
// SQL uses IAM database authentication instead of a stored password, and
// function memory is rounded up to a Cloud Run functions tier. What cannot be
// expressed at all, such as a queue trigger on a queue placed on another
// cloud, is an error. Every value a module validates is checked here first,
// so a blueprint that lowers without errors does not fail at terraform plan
// because of a Google Cloud limit.
//
// The generated Terraform assumes the project has the services it uses
// enabled (compute, servicenetworking, sqladmin, container, pubsub,
// cloudfunctions, cloudbuild, artifactregistry, run, iam, and cloudscheduler
// for schedule triggers); enabling APIs is
// left to whoever owns the project, because disabling them on destroy would
// break everything else in it.
//
// Lowering is pure and deterministic: no I/O, and the same input gives the
// same fragment.
package gcp
