// Package summary explains a terraform plan in blueprint terms: which
// neutral resource each cloud resource belongs to (through the module
// address skyform gave it), and what happens to it — created, updated,
// replaced, destroyed. Replacements and deletions are what a reviewer must
// not miss, so they are flagged.
package summary
