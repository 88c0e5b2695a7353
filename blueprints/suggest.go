package blueprints

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "".
func suggest(s string, candidates []string) string {
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein.Distance(s, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := len(s) / 3
	if limit < 2 {
		limit = 2
	}
	if bestDist <= limit && bestDist < len(s) {
		return best
	}
	return ""
}

func didYouMean(s string, candidates []string, otherwise string) string {
	if c := suggest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return otherwise
}
