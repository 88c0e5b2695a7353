// Package diag holds user-facing diagnostics: problems in a blueprint (or in
// what a cloud can express of it) reported with a severity, a summary, a
// detail, an exact source range and the data path inside the blueprint.
//
// A stage of the pipeline returns its result together with Diagnostics and
// keeps going after an error, so that one run reports every problem. System
// failures (a file that cannot be written, a terraform binary that cannot
// start) are plain Go errors and never Diagnostics.
package diag
