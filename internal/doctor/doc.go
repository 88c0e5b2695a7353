// Package doctor checks, before a plan, that a machine and a cloud account
// can deploy a blueprint: terraform is there and new enough, the cloud's
// credentials work, the blueprint's region exists and is enabled, the
// instance types, machine types and VM sizes skyform's lowering picks for
// the blueprint's sizes are offered there, and (on Google Cloud) the
// service APIs the generated modules call are enabled.
//
// Contract:
//   - What a blueprint asks of a cloud (Needs) comes from lowering it to
//     that cloud, exactly as compile does, and reading the module calls:
//     the sizes checked are the ones terraform would be given, overrides
//     included.
//   - Every check passes or fails with what was found and what to do.
//     A cloud's checks after a failed credential check are skipped, not
//     guessed. A cloud error naming a missing permission becomes a failure
//     that names the IAM action (ec2:DescribeInstanceTypeOfferings) or
//     permission to grant.
//   - The clouds are read through their own SDKs (aws-sdk-go-v2,
//     google.golang.org/api, azcore/azidentity), so paging, retries of
//     throttled calls and credential chains are the SDKs'. Tests point them
//     at internal/fakecloud.
package doctor
