package tfir

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestIdentifierRules holds the hand-written identifier checks to HCL's
// scanner: an object key is written bare exactly when HCL reads it bare,
// and ValidIdentifier accepts its ASCII subset.
func TestIdentifierRules(t *testing.T) {
	for _, s := range []string{"", "a", "A", "_", "a1", "1a", "-a", "a-b", "a_b", "a.b", "a b", "a$", "team", "DB_HOST", "x-", "é", "aé", "日本", "a\n", "${a}"} {
		hcl := hclsyntax.ValidIdentifier(s)
		if got := validKey(s); got != hcl {
			t.Errorf("validKey(%q) = %v, HCL says %v", s, got, hcl)
		}
		ascii := true
		for _, r := range s {
			ascii = ascii && r < 0x80
		}
		if got := ValidIdentifier(s); got != (hcl && ascii) {
			t.Errorf("ValidIdentifier(%q) = %v, want %v", s, got, hcl && ascii)
		}
	}
}
