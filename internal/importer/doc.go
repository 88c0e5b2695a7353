// Package importer reads what a team already runs on a cloud through the
// cloud's SDK and turns it into a neutral blueprint plus an import file:
// the Terraform import ID of every cloud object skyform's modules manage
// for each imported resource, keyed by its address inside the module.
//
// Wiring becomes references, not IDs: a Lambda function's SQS event source
// mapping is a queue trigger, an environment value equal to an imported
// database's endpoint is ${db.host}. Sizes map back to the nearest neutral
// size of the cloud's size table (with a warning when not exact). What a
// blueprint cannot express is listed as unsupported, in the result and in a
// comment at the top of the blueprint, never dropped silently.
//
// One file per cloud reads it (aws.go); importer.go holds what they share:
// names, filters, references and rendering.
package importer
