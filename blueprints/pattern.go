package blueprints

import (
	"regexp"
	"sync"
)

// patterns holds the compiled form of every pattern the field table uses:
// a blueprint checks the same few patterns on each of its resources.
var patterns sync.Map

// pattern returns expr compiled, compiling it once.
func pattern(expr string) *regexp.Regexp {
	if re, ok := patterns.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := patterns.LoadOrStore(expr, regexp.MustCompile(expr))
	return re.(*regexp.Regexp)
}

// matches reports whether s matches the field pattern expr; resource
// names, the pattern every key of resources and every trigger's queue
// has, are checked without a regular expression.
func matches(expr, s string) bool {
	if expr == namePattern {
		return validName(s)
	}
	return pattern(expr).MatchString(s)
}
