// Package blueprints owns the blueprint format: parsing YAML with exact
// positions, decoding and validating it into the neutral model (references
// resolved and type-checked), and the JSON Schema editors use.
//
// Parse never stops at the first problem: it returns the model together with
// every diagnostic it found, each naming file:line:column, the data path
// and what is allowed. A model returned with error diagnostics must not be
// lowered. One field table (spec.go) drives decoding, "did you mean" hints,
// defaults and the JSON Schema, so they cannot drift apart.
package blueprints
