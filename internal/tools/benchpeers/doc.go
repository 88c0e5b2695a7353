// Command benchpeers (make bench-peers) measures `skyform compile` against
// the peers in one run: CDK for Terraform (`cdktf synth`, and the same app
// run as a plain `node main.js`) and Winglang (`wing compile -t tf-aws`).
//
// For N units (one unit: a queue and a function consuming it, with the
// function's role and policies), for N = 1, 10, 100 and 1000, it generates
// the same program for every tool, runs each RUNS times (best run kept),
// checks what each wrote, and prints one Markdown table: wall time, peak
// memory and the peers' ratios to skyform on each cloud.
//
// Contract:
//   - The peers are the pinned npm packages (cdktf-cli, cdktf,
//     @cdktf/provider-aws, constructs, winglang), installed with the
//     machine's npm into a cache directory outside the project (never
//     committed); an install whose versions already match is reused.
//   - Nothing is faked: a tool that fails is reported as failed with its
//     error, and its cells stay empty.
//   - Wall time is from start to exit of the command. Peak memory is that
//     of the whole process tree: the larger of the kernel's maxrss from
//     wait4 (the largest single process, since a process's maxrss takes in
//     the children it waited for) and the sum of the tree's resident sets
//     sampled every 10 ms (which catches processes running side by side,
//     such as cdktf's CLI and the node app it starts).
//   - Telemetry and update checks of the peers are turned off
//     (CHECKPOINT_DISABLE, WING_DISABLE_ANALYTICS...), so that the run
//     measures compiling, not the network.
package main
