// Package aws lowers the neutral resources a blueprint places on AWS into
// calls of the embedded modules under modules/aws (network, queue, function,
// database, cluster) and one provider block.
//
// Contract:
//   - Lower is pure and deterministic: no I/O, no clock, no map iteration
//     order in the output. The same Input gives the same Fragment.
//   - Everything AWS cannot express exactly is reported against the
//     blueprint field: a warning when skyform picks the nearest AWS setting
//     (and says which), an error when the nearest setting would change what
//     the blueprint means, or when AWS would refuse it only at apply time.
//     Facts that depend on AWS's calendar (deprecated Lambda runtimes, EKS and
//     RDS support windows) are in lifecycle.go, dated, and are skipped when an
//     override sets the affected module variable.
//   - The implicit network module ("aws_network") comes first, and only when
//     something on AWS needs it: a database, a cluster, or a function whose
//     environment refers to a database on AWS. It gets a NAT gateway only
//     when an EKS cluster needs one; functions in the VPC otherwise reach the
//     AWS APIs their references need through interface endpoints.
//   - Module arguments reference other modules by output name; besides the
//     neutral attributes (blueprints.Attributes) lowering uses a few AWS
//     extras (queue "arn", cluster "node_security_group_id", network
//     outputs), so a replacement module must keep those too.
//   - No secret ever reaches the output: RDS generates the administrator
//     password and keeps it in Secrets Manager; functions that refer to it
//     get read access to the secret, not the value.
package aws
