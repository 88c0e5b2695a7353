// Command compilebench measures `skyform compile` as a whole process, the
// way a user runs it, startup and writing included:
//
//	go run ./internal/tools/compilebench [-skyform PATH] [-units 10,100,1000,10000] [-clouds aws,gcp,azure] [-runs 3]
//
// For each number of units it writes a blueprint of that many queues, each
// consumed by a function (all functions built from one source directory),
// and for each cloud runs `skyform compile --cloud CLOUD` into an empty
// directory -runs times, then once more after a one-line change to one
// queue. It prints a table: the fastest wall time of a first compile, the
// CPU time (user + system) of that run, the peak resident memory of any run
// (wait4's rusage), the files and bytes written, and for the one-line
// change the wall time and the bytes rewritten. A first line gives the time
// of `skyform --help`, the cost of starting the process at all.
//
// Without -skyform, it builds ./cmd/skyform into a temporary directory
// first. The figures depend on the machine and its load; nothing is
// asserted.
package main
