package diag

import "github.com/agext/levenshtein"

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "": the "did you mean" of every diagnostic.
func Suggest(s string, candidates []string) string {
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
