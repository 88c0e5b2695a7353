// Package schemaset decides which provider schemas the offline providers
// carry and cuts them out of the full `terraform providers schema -json`
// output.
//
// The full aws, google and azurerm schemas are tens of megabytes; skyform
// emits a few dozen types. Scan reads every `resource "T"` and `data "T"`
// block of the embedded modules (with hclsyntax, so a type in a comment or a
// string does not count), Provisional adds the types the design names before
// the modules exist, and Filter keeps exactly those types plus the provider
// configuration schema. Descriptions are dropped: terraform does not need
// them to validate, plan or apply, and they are most of the bytes.
//
// Filter is deterministic: the same input and the same type list give the
// same bytes (sorted JSON keys, gzip without name or time), so regenerating
// the committed files shows up in a diff only when something really changed.
package schemaset
