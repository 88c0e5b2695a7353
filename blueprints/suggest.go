package blueprints

import (
	"fmt"

	"github.com/skyform/skyform/internal/diag"
)

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "".
func suggest(s string, candidates []string) string { return diag.Suggest(s, candidates) }

func didYouMean(s string, candidates []string, otherwise string) string {
	if c := suggest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return otherwise
}
