package providers

import (
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
)

// Cloud lowers the resources a blueprint places on one cloud.
type Cloud interface {
	// Name is the cloud this lowering is for.
	Name() blueprints.Cloud
	// Provider is the Terraform provider the fragment needs.
	Provider() Provider
	// Lower turns the resources of in into Terraform. It reports what it
	// cannot express exactly as warnings and what it cannot express at all
	// as errors, pointing at the blueprint field.
	Lower(in *Input) (*Fragment, diag.Diagnostics)
	// Sizes is the cloud's size table: what each neutral size becomes for
	// each kind that has sizes (database, cluster node pools).
	Sizes() []SizeMapping
}

// SizeMapping is one row of a cloud's size table.
type SizeMapping struct {
	Kind blueprints.Kind
	Size blueprints.Size
	// Type is the cloud's machine type, instance class, tier or SKU.
	Type      string
	VCPU      int
	MemoryGiB float64
	// Note says what differs from the neutral size, if anything (burstable, shared core).
	Note string
}

// Provider names a Terraform provider requirement.
type Provider struct {
	// LocalName is the name used in provider blocks ("aws", "google", "azurerm").
	LocalName string
	// Source is the registry address ("hashicorp/aws").
	Source string
	// Version is the exact release the embedded schemas come from.
	Version string
}

// Input is what one cloud lowers: the blueprint and the resources placed on
// this cloud (in name order), with the packaged source of each function.
type Input struct {
	Blueprint *blueprints.Blueprint
	Resources []*blueprints.Resource
	// Packages holds the deterministic zip of each function, by resource name.
	Packages map[string]Package
}

// Package is a function's source packaged into a zip in the output directory.
type Package struct {
	// Path is the zip's path relative to the root module, with forward slashes.
	Path string
	// SHA256 is the base64-encoded SHA-256 of the zip (what aws and azure call the source hash).
	SHA256 string
	// SHA256Hex is the same digest in hex (used in object names so a change redeploys).
	SHA256Hex string
}

// Fragment is one cloud's share of the root module.
type Fragment struct {
	// Providers are the provider blocks (usually one).
	Providers []*tfir.Block
	// Variables are root input variables the cloud needs (e.g. a GCP project).
	Variables []*tfir.Block
	// Modules are the module calls, the implicit network first, then the
	// resources in name order.
	Modules []*tfir.Block
	// ModulesUsed lists the embedded modules the calls use, as "<cloud>/<kind>".
	ModulesUsed []string
	// MinTerraform, when set, is the oldest terraform the fragment works
	// with (e.g. "1.11.0" for write-only arguments); the root module
	// requires the newest of them.
	MinTerraform string
}

// Seconds returns a duration in whole seconds, as most provider arguments want.
func Seconds(d time.Duration) int64 { return int64(d / time.Second) }

// ObjectName is the name one of a resource's cloud objects gets, in a
// namespace where two objects of the same Type cannot share a name (two
// SQS queues, two Pub/Sub topics).
type ObjectName struct {
	Type string
	Name string
	// What says which of the resource's objects it is ("the queue", "its
	// dead-letter queue"), and Field the blueprint field that asks for it
	// ("" for the resource itself).
	What  string
	Field string
}

// Namer is implemented by a cloud whose modules derive more than one
// object name from a resource's cloud name (a dead-letter queue named
// "<queue>-dlq"), so that the compiler can refuse two resources whose
// objects would take the same name.
type Namer interface {
	ObjectNames(bp *blueprints.Blueprint, r *blueprints.Resource) []ObjectName
}
