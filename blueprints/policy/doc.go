// Package policy owns guardrail files: the rules a platform team sets for
// every blueprint (allowed clouds and regions, size and node limits,
// required labels, encryption, deletion protection, no public endpoints,
// allowed runtimes and versions), parsed with the blueprint's own YAML
// machinery and checked against a parsed blueprint.
//
// Parse never stops at the first problem: a typo in a rule name, a value of
// the wrong type or a cloud, region, runtime or version the blueprint tables
// do not know is a diagnostic at file:line:column, with "did you mean". A
// Policy returned with error diagnostics must not be used to check.
//
// Check evaluates a blueprint as it will be compiled: on the placement
// --cloud retargets to when one is given. Each Violation names the rule,
// its severity (error or warn), the blueprint field that breaks it (data
// path and position) and the rule's position in the policy file; as a
// diagnostic, the latter is a related position. The package reads the
// neutral model only; it never compiles or writes anything.
package policy
