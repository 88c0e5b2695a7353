// Package progress shows how far a long apply or destroy has come, per
// cloud: cloud resources done out of the plan's total, the time since the
// start, and the slowest cloud resource still running.
//
// Contract:
//   - On a terminal, one counter line per cloud is redrawn in place (every
//     second, and on every event); finished and failed cloud resources are
//     printed above the counters as plain lines, and the counters are left
//     as the last lines when the run stops. Lines are cut to the terminal's
//     width so that redrawing never leaves wrapped remnants.
//   - Anywhere else (a CI log, a file) nothing is redrawn: every line is
//     printed as it comes, and the counters are printed as plain lines at a
//     fixed interval while the run lasts, and once at the end.
//   - A replaced resource counts as done when both its halves are; an event
//     for an address the plan did not list is counted against its cloud.
//   - The Meter is safe for concurrent use: events arrive from terraform's
//     stream while a ticker redraws.
package progress
