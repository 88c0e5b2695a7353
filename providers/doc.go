// Package providers defines how a cloud plugs into skyform: the Cloud
// interface that lowers the neutral resources placed on one cloud into a
// Terraform fragment, and the helpers every cloud shares (module calls,
// references, labels, regions, overrides, approximation warnings, schedule
// keys).
//
// Each cloud lives in its own package (providers/aws, providers/gcp,
// providers/azure) with a New constructor; the compiler's registry lists
// the three explicitly. There is no init() registration and no reflection.
package providers
