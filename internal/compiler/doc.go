// Package compiler drives lowering: it packages function sources, hands
// each cloud the resources placed on it, checks overrides against the
// embedded modules, and assembles one root module (several providers for a
// blueprint that spans clouds) plus the modules it uses, all in memory.
// Nothing is written here; the caller writes the files only when there are
// no error diagnostics.
//
// registry.go is the one place that lists the clouds.
package compiler
