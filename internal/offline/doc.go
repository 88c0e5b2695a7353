// Package offline serves the real schemas of the hashicorp/aws, google and
// azurerm providers from skyform's own code, so that the real terraform
// binary can init, validate, plan, apply and destroy skyform's output with
// no network and no cloud account.
//
// Contract:
//
//   - Schemas. Each provider serves the configuration schema and the
//     resource and data-source types of a real release (AWSVersion,
//     GoogleVersion, AzureRMVersion), cut by `make schemas` from `terraform
//     providers schema -json` into schemas/*.json.gz: every type the
//     modules under modules/ use, plus the design's provisional list
//     (package schemaset). A type outside that set is an "unknown resource
//     type" error, never a guess; a test fails when a module uses one.
//   - Process. Any executable that embeds this package can be the provider:
//     Install writes a filesystem mirror whose entries are launcher scripts
//     that exec os.Executable() with ProviderEnv set, and ServeIfRequested,
//     called first in main (and in TestMain), then serves protocol 5 with
//     tf5server. Install also writes the CLI configuration that makes the
//     mirror the only installation source, and keeps one mirror per
//     executable so that binaries sharing a cache directory never rewrite
//     each other's launchers (terraform checks their checksums).
//   - Plan. Computed attributes that the configuration leaves null are
//     unknown in a new object (a create, or a nested block element with no
//     prior counterpart) and keep their prior value in an existing one.
//     Write-only attributes are null, as terraform requires. A change to a
//     configurable name, name_prefix, location, region, zone, project or
//     resource_group_name requires replacement: the schema does not say
//     what the real provider forces new, and identity and placement are
//     what cannot change in place on any of the three clouds.
//   - Apply, read, import. Every unknown becomes a deterministic fake that
//     depends only on the resource type, the object's name (or a digest of
//     its configuration) and the attribute path: strings shaped by the
//     attribute's name (ARNs, Azure resource IDs, UUIDs, hosts under the
//     never-resolving .invalid domain), numbers 0, bools false, collections
//     empty except that a collection of objects holds one filled object.
//     The same configuration always produces the same state. Data sources
//     that modules branch on answer plausibly (three availability zones,
//     the aws partition, a fixed Azure tenant, an IAM policy rendered from
//     its statements).
//   - Everything else (provider functions, ephemeral resources, moving
//     state between types, resource identity, generated configuration) is
//     an error diagnostic saying it is not supported offline.
package offline
