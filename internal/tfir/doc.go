// Package tfir is the Terraform intermediate representation that cloud
// lowering produces and the emitter writes: files of blocks whose attribute
// values are expressions (literals, references, templates, objects, lists,
// function calls).
//
// Output goes through hclwrite (formatted HCL) or encoding/json (Terraform's
// JSON syntax), never through string concatenation. Literal strings are
// data: a "${" or "%{" inside one is escaped, so user text can never become
// an interpolation. Identifiers (block labels, attribute names, reference
// steps) are checked before they are written. The same Config always emits
// the same bytes.
package tfir
