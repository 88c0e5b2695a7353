// Package hygiene holds tests about the repository itself rather than the
// code: nothing built is ever tracked. It has no code of its own.
package hygiene
