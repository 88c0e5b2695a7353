// Command gen regenerates internal/offline/schemas: for aws, google and
// azurerm, the provider configuration schema and the resource and
// data-source types that the modules use or the design names
// (schemaset.Provisional), cut from the full `terraform providers schema
// -json` output, without descriptions, gzipped reproducibly; and types.txt,
// the reviewable list of what is carried. Run from the repository root:
//
//	go run ./internal/offline/gen -src ../shared/provider-schemas
//
// (`make schemas`). -src holds <provider>.json.gz or <provider>.json.
//
// The shared files come from provider binaries built at pinned commits
// (releases aws 6.47.0, google 8.0.0, azurerm 5.2.0):
//
//	go install github.com/hashicorp/terraform-provider-aws@v1.60.1-0.20260602190131-5f2286d6d836
//	go install github.com/hashicorp/terraform-provider-google@v1.20.1-0.20260828184646-f3721fb45fa3
//	go install github.com/hashicorp/terraform-provider-azurerm@v1.44.1-0.20260824201233-fae580791926
//
// To regenerate from such binaries instead of the shared files, name them:
//
//	go run ./internal/offline/gen -binary aws=$(go env GOPATH)/bin/terraform-provider-aws
//
// gen installs each in a throwaway filesystem mirror, runs terraform init
// and `terraform providers schema -json` through internal/tfrun, and
// filters that output the same way; providers without -binary still come
// from -src. When a provider release changes, also change the version
// constants in internal/offline/providers.go.
package main
