// Command skyform compiles provider-neutral blueprints into Terraform for
// AWS, GCP and Azure and runs terraform on the result.
//
// This package is the only one that imports every stage. Each command
// parses its flags into a typed argument struct, runs, and hands the data it
// produced to a view that renders it for people or as JSON (--json).
//
// Exit codes:
//
//	0  success
//	1  the blueprint or the generated Terraform has errors (diagnostics shown)
//	2  plan --detailed-exitcode: there are changes
//	3  terraform failed while running
//	4  wrong usage (unknown flag, bad value)
//	5  a system failure (a file cannot be written, terraform cannot start,
//	   graph --format svg without Graphviz's dot on PATH)
//	6  the state is not saved: terraform could not write it to the backend
//	   (the apply that failed), or an earlier run's unsaved state waits in
//	   the workdir (every run refuses until skyform state push-errored
//	   pushes it), or push-errored found the backend's state changed since
//	   the failed run
//	7  skyform doctor: a check failed or could not be run
package main
