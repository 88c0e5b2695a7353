package blueprints

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var durationUnits = []struct {
	suffix string
	d      time.Duration
}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}}

// ParseDuration reads a blueprint duration: one or more whole numbers with
// a unit, largest first, e.g. "30s", "5m", "4d", "1h30m". Units: w d h m s.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if s == "0" {
		return 0, nil
	}
	var total time.Duration
	rest := s
	last := -1
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		n, err := strconv.ParseInt(rest[:i], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		unit := -1
		for u, du := range durationUnits {
			if strings.HasPrefix(rest[i:], du.suffix) {
				unit = u
				break
			}
		}
		if unit < 0 || unit <= last {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		last = unit
		total += time.Duration(n) * durationUnits[unit].d
		rest = rest[i+1:]
	}
	return total, nil
}

// FormatDuration writes a duration the way a blueprint would: "4d", "1h30m", "0s".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range durationUnits {
		if n := d / u.d; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.suffix)
			d -= n * u.d
		}
	}
	return b.String()
}
