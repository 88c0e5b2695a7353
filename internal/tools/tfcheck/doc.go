// Command tfcheck validates Terraform directories with the real terraform
// binary and skyform's offline providers, without network or credentials:
//
//	go run ./internal/tools/tfcheck [-terraform PATH] DIR...
//
// Each DIR (a module such as modules/aws/queue, validated as a root, or a
// compiled output directory) is copied to a temporary working directory so
// that nothing (.terraform, .terraform.lock.hcl) is written next to the
// sources; there tfcheck runs terraform init and terraform validate against
// an offline mirror from internal/offline.Install. Terraform's diagnostics
// are printed as DIR/FILE:LINE:COLUMN: severity: summary, followed by the
// detail.
//
// Exit status: 0 when every directory is valid (warnings allowed), 1 when
// any has an error or cannot be checked, 2 on a usage error.
package main
